public import NN
public import Torch

/// Family `input`: a guide with no parameters whose every tap is the input itself, flattened per example as the tap
/// readout flattens any activation (method.md §3): [N, C·H·W] for images, [N, C·L] for signals, and for token ids
/// their one-hot encoding [N, T·V] (ids are labels, not quantities). A control: does aligning the target to *any*
/// structured representation of the batch do what a real guide does?
///
/// Taps: `input.0` … `input.{taps−1}`, identical. Under `mapping: auto` (method.md §4) n_g identical guide taps land
/// on target taps round(i·(n_t − 1)/(n_g − 1)); with `taps` ≥ the target's tap count every target tap receives
/// one (the last of those landing on it), so every target layer is aligned to the input; with the default `taps: 1`
/// only the target's first tap is (n_g = 1 maps guide tap 0 onto target tap 0).
///
/// Its logits are zeros (a uniform prediction); it cannot be trained or distilled from, and the manifest check
/// refuses it as a target, as a trained guide and with `distill`.
public final class InputModel: Model, @unchecked Sendable {
    public let tapCount: Int

    init(input: ModelInput, output: ModelOutput, taps: Int) {
        tapCount = taps
        super.init(family: "input", input: input, output: output)
    }

    /// The input as one flattened float row per example: [N, features].
    public func flattened(_ inputs: Tensor) throws -> Tensor {
        let n = inputs.size(0)
        if case .tokens(_, let vocabulary) = input {
            return try inputs.oneHot(classes: vocabulary).to(.float32).reshape([n, -1])
        }
        return try inputs.reshape([n, -1])
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        let n = batch.inputs.size(0)
        if let taps {
            let flat = try flattened(batch.inputs)
            for index in 0..<tapCount { taps.record("input.\(index)", flat) }
        }
        let dtype: DType = batch.inputs.dtype.isFloatingPoint ? batch.inputs.dtype : .float32
        switch output {
        case .classes(let k):
            return try Tensor.zeros([n, k], dtype: dtype, device: batch.inputs.device)
        case .perToken(let v), .nextToken(let v):
            return try Tensor.zeros([n, batch.inputs.size(1), v], dtype: dtype, device: batch.inputs.device)
        }
    }
}
