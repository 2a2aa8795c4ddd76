public import NN
public import Torch

/// A network built for a task's input and output kinds, exposing its hidden activations as ordered, named taps.
///
/// Tap rules (method.md §3): Linear/Conv outputs before BatchNorm and activation, LayerNorm outputs, attention
/// outputs, full RNN/LSTM output sequences and adaptive-pool outputs, in forward order; never the logit head,
/// BatchNorm, ReLU, Dropout or embeddings. Subclasses record taps in `forward` through the scope they are given.
open class Model: Module, @unchecked Sendable {
    public let family: String
    public let input: ModelInput
    public let output: ModelOutput

    public init(family: String, input: ModelInput, output: ModelOutput) {
        self.family = family
        self.input = input
        self.output = output
        super.init()
    }

    /// Logits ([N, classes] or [N, T, vocabulary]); records taps into `taps` when given.
    open func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        fatalError("\(type(of: self)) must override forward(_:taps:)")
    }

    /// Logits and the taps recorded during the same forward pass.
    public func callAsFunction(_ batch: ModelBatch, recordTaps: Bool = false) throws -> (logits: Tensor, taps: TapRecorder?) {
        guard recordTaps else { return (try forward(batch, taps: nil), nil) }
        let recorder = TapRecorder()
        let logits = try forward(batch, taps: recorder.scope(""))
        return (logits, recorder)
    }

    /// Names and flattened widths (features per example) of the taps, found by one forward pass of a two-example
    /// probe batch in eval mode without gradients (the mode is restored).
    public func describeTaps() throws -> [(name: String, width: Int)] {
        try describeTapShapes().map { ($0.name, $0.shape.reduce(1, *)) }
    }

    /// Names and per-example shapes of the taps ([T, D] for a sequence tap, [C, H, W] for a conv map, [F] for a
    /// Linear output), found as `describeTaps` finds them.
    public func describeTapShapes() throws -> [(name: String, shape: [Int])] {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        let first = namedParameters().first?.1
        let device = first?.device ?? .cpu
        let dtype = first.map(\.dtype).flatMap { $0.isFloatingPoint ? $0 : nil } ?? .float32
        return try Torch.withNoGrad {
            let probe: Tensor
            switch input {
            case .tokens(_, let vocabulary):
                probe = try Tensor.randint(0, vocabulary, input.batchShape(2), device: device, generator: Generator(seed: 0))
            default:
                probe = try Tensor.randn(input.batchShape(2), dtype: dtype, device: device, generator: Generator(seed: 0))
            }
            let (_, taps) = try self(ModelBatch(inputs: probe), recordTaps: true)
            return zip(taps!.names, taps!.activations).map { ($0, Array($1.shape.dropFirst())) }
        }
    }
}
