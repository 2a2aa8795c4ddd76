/// Target value for positions that must not be scored (loss, accuracy). PyTorch's
/// `CrossEntropyLoss(ignore_index=-100)` convention.
public let ignoreIndex: Int64 = -100

/// One mini-batch on the host, ready to become tensors.
///
/// - `inputs`: `.float32` with shape `[N, C, H, W]` (images) or `[N, C, L]` (signals), or
///   `.int64` token ids with shape `[N, T]`.
/// - `targets`: `[N]` class ids, or `[N, T]` per-position ids with `ignoreIndex` where unscored.
/// - `lengths`: `[N]` valid lengths for padded token sequences (positions `t >= lengths[n]`
///   are padding), nil when every position is real.
public struct HostBatch: Sendable, Equatable {
    public var inputs: HostValues
    /// `[N, ...]` shape of `inputs`.
    public var inputShape: [Int]
    public var targets: [Int64]
    /// `[N]` or `[N, T]`.
    public var targetShape: [Int]
    public var lengths: [Int64]?

    public init(inputs: HostValues, inputShape: [Int], targets: [Int64], targetShape: [Int], lengths: [Int64]?) {
        precondition(inputs.count == inputShape.reduce(1, *), "HostBatch inputs do not match their shape")
        precondition(targets.count == targetShape.reduce(1, *), "HostBatch targets do not match their shape")
        self.inputs = inputs
        self.inputShape = inputShape
        self.targets = targets
        self.targetShape = targetShape
        self.lengths = lengths
    }

    /// Number of examples N.
    public var count: Int { inputShape.first ?? 0 }

    /// `[N, T]` padding mask for token inputs (true = real position), from `lengths`; nil when
    /// there are no lengths.
    public var mask: [Bool]? {
        guard let lengths, inputShape.count == 2 else { return nil }
        let width = inputShape[1]
        var mask = [Bool](repeating: false, count: lengths.count * width)
        for (row, length) in lengths.enumerated() {
            for t in 0..<min(Int(length), width) { mask[row * width + t] = true }
        }
        return mask
    }
}
