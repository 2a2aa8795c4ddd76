/// A start-up check of the BLAS kernels in use: a few small float32 matrix products through libtorch (plain,
/// transposed left, transposed right: the three forms a training step uses) against a plain-Swift double-precision
/// reference. Used after guidance chose an OpenBLAS core itself, so that a kernel that computes wrong results on
/// this processor is replaced by the library's own choice instead of silently training on wrong numbers.
public enum BLASSelfCheck {
    /// (m, k, n) of the products: odd sizes reach the kernels' edge handling as well as their main loops.
    static let shapes: [(Int, Int, Int)] = [(67, 129, 35), (128, 64, 96), (5, 300, 7)]

    /// The largest error relative to the reference's scale over all products; `passed` when within `tolerance`.
    public struct Outcome: Sendable {
        public var maxRelativeError: Double
        public var passed: Bool
    }

    /// float32 products of length-300 sums agree with a double reference to about 1e-6 relative; 1e-3 leaves room
    /// for any summation order while a wrong kernel is off by O(1).
    public static let tolerance = 1e-3

    public static func run() throws -> Outcome {
        var worst = 0.0
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
        for (m, k, n) in shapes {
            let a = (0..<(m * k)).map { _ in next() }, b = (0..<(k * n)).map { _ in next() }
            let reference = multiply(a, b, m: m, k: k, n: n)
            let ta = try Tensor(a, shape: [m, k]), tb = try Tensor(b, shape: [k, n])
            // A·B directly, (Aᵀ)ᵀ·B and A·(Bᵀ)ᵀ: the same product through the transposed kernel paths.
            let products = [
                try ta.matmul(tb),
                try ta.transpose(0, 1).contiguous().transpose(0, 1).matmul(tb),
                try ta.matmul(tb.transpose(0, 1).contiguous().transpose(0, 1)),
            ]
            for product in products {
                worst = max(worst, relativeError(try product.floats(), reference))
            }
        }
        return Outcome(maxRelativeError: worst, passed: worst <= tolerance)
    }

    /// Row-major m×k · k×n in double precision.
    public static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for p in 0..<k {
                let x = Double(a[i * k + p])
                for j in 0..<n { c[i * n + j] += x * Double(b[p * n + j]) }
            }
        }
        return c
    }

    /// max |x − r| / max(1, max |r|): the error on the scale of the result. Infinite on a length mismatch or NaN.
    public static func relativeError(_ values: [Float], _ reference: [Double]) -> Double {
        guard values.count == reference.count else { return .infinity }
        let scale = max(1, reference.map(abs).max() ?? 0)
        var worst = 0.0
        for (x, r) in zip(values, reference) {
            let error = abs(Double(x) - r)
            if !error.isFinite { return .infinity }
            worst = max(worst, error)
        }
        return worst / scale
    }
}
