/// Small 1-D signal operations used by the MNIST-1D generator, in Double, fixed summation order.
enum SignalOps {
    /// Linear resampling: the input is taken to sit on an even grid over [0, 1] (first and last
    /// samples at 0 and 1) and is read at `length` evenly spaced points of the same interval
    /// (as `scipy.interpolate.interp1d(linspace(0,1,n), x)(linspace(0,1,length))`).
    static func resample(_ x: [Double], to length: Int) -> [Double] {
        let n = x.count
        precondition(n >= 2 && length >= 2, "resample needs at least two points")
        var out = [Double](repeating: 0, count: length)
        let step = Double(n - 1) / Double(length - 1)
        for j in 0..<length {
            let position = Double(j) * step
            let i = min(Int(position), n - 2)
            let fraction = position - Double(i)
            out[j] = x[i] + (x[i + 1] - x[i]) * fraction
        }
        return out
    }

    /// Normalized Gaussian kernel with standard deviation `sigma` samples, radius
    /// round(4·sigma) (scipy's `truncate=4.0`); `2·radius + 1` weights summing to 1.
    static func gaussianKernel(sigma: Double) -> [Double] {
        let radius = Int(4 * sigma + 0.5)
        var weights = (-radius...radius).map { PortableMath.exp(-0.5 * Double($0 * $0) / (sigma * sigma)) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        return weights
    }

    /// Convolution with `kernel` (odd length, centred), borders by half-sample symmetric
    /// reflection (`d c b a | a b c d | d c b a`, scipy.ndimage's `mode="reflect"`).
    static func filter(_ x: [Double], kernel: [Double]) -> [Double] {
        let n = x.count
        let radius = kernel.count / 2
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = 0.0
            for k in -radius...radius {
                var j = i + k
                // Reflect until inside (handles kernels wider than the signal).
                while j < 0 || j >= n { j = j < 0 ? -j - 1 : 2 * n - j - 1 }
                sum += kernel[k + radius] * x[j]
            }
            out[i] = sum
        }
        return out
    }

    /// Mean and population standard deviation (divide by n).
    static func meanAndStd(_ x: [Double]) -> (mean: Double, std: Double) {
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)
        return (mean, variance.squareRoot())
    }
}
