/// Per-channel normalization of float inputs `[N, C, ...]`: x ← (x − mean[c]) / std[c].
public enum ImageNormalization: Sendable, Equatable {
    /// Leave values as they are.
    case none
    /// Mean and (population) standard deviation per channel computed on the training split only.
    case fromTrain
    /// Given statistics, one per channel.
    case given(mean: [Double], std: [Double])

    /// Statistics per channel of `split` (float storage), accumulated in Double in order.
    static func statistics(_ split: Split, channels: Int) -> (mean: [Double], std: [Double]) {
        guard let values = split.inputs.floats, split.count > 0 else {
            return ([Double](repeating: 0, count: channels), [Double](repeating: 1, count: channels))
        }
        let plane = split.exampleSize / channels
        var sum = [Double](repeating: 0, count: channels)
        var sumSquares = [Double](repeating: 0, count: channels)
        for n in 0..<split.count {
            for c in 0..<channels {
                let base = (n * channels + c) * plane
                var s = 0.0
                var s2 = 0.0
                for i in base..<base + plane {
                    let v = Double(values[i])
                    s += v
                    s2 += v * v
                }
                sum[c] += s
                sumSquares[c] += s2
            }
        }
        let total = Double(split.count * plane)
        let mean = sum.map { $0 / total }
        let std = (0..<channels).map { c in max(sumSquares[c] / total - mean[c] * mean[c], 0).squareRoot() }
        return (mean, std)
    }

    /// Applies the normalization to all three splits; returns them and the statistics used.
    func apply(train: Split, validation: Split, test: Split, channels: Int) -> (splits: [Split], mean: [Double], std: [Double]) {
        let stats: (mean: [Double], std: [Double])
        switch self {
        case .none: return ([train, validation, test], [], [])
        case .fromTrain: stats = Self.statistics(train, channels: channels)
        case let .given(mean, std): stats = (mean, std)
        }
        let splits = [train, validation, test].map { Self.normalized($0, channels: channels, mean: stats.mean, std: stats.std) }
        return (splits, stats.mean, stats.std)
    }

    static func normalized(_ split: Split, channels: Int, mean: [Double], std: [Double]) -> Split {
        guard var values = split.inputs.floats else { return split }
        let plane = split.exampleSize / channels
        let scale = std.map { Float(1 / ($0 > 0 ? $0 : 1)) }
        let shift = mean.map { Float($0) }
        values.withUnsafeMutableBufferPointer { buffer in
            for n in 0..<split.count {
                for c in 0..<channels {
                    let base = (n * channels + c) * plane
                    for i in base..<base + plane { buffer[i] = (buffer[i] - shift[c]) * scale[c] }
                }
            }
        }
        return Split(name: split.name, exampleShape: split.exampleShape, inputs: .float32(values),
                     targetShape: split.targetShape, targets: split.targets, lengths: split.lengths)
    }
}
