public import NN
public import Torch

/// Families `rnn` (Elman tanh units, the paper's "vanilla RNN") and `lstm`: the input read as a sequence
/// (SequenceInput), `layers` single-layer recurrent networks stacked (so each layer is its own tap), dropout between
/// them, and a Linear head on the state at the last non-padding step (classes) or at every step (per-token and
/// next-token outputs; a recurrent network is causal by construction).
/// Taps: `layers.i` (the full output sequence of layer i).
public final class RecurrentModel: Model, @unchecked Sendable {
    public let inputAdapter: SequenceInput
    public let layers: [Recurrent]
    public let dropout: Dropout
    public let head: Linear

    init(family: String, cell: RecurrentCell, input: ModelInput, output: ModelOutput, layers count: Int, hidden: Int,
         embedWidth: Int, dropout p: Double, init pi: ParameterInit) throws {
        let adapter = try SequenceInput(input, width: embedWidth, patchSize: 0, family: family, init: pi)
        inputAdapter = adapter
        layers = try (0..<count).map { try Recurrent(cell, input: $0 == 0 ? adapter.features : hidden, hidden: hidden, init: pi) }
        dropout = try Dropout(p)
        switch output {
        case .classes(let k): head = try Linear(hidden, k, init: pi)
        case .perToken(let v), .nextToken(let v): head = try Linear(hidden, v, init: pi)
        }
        super.init(family: family, input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        var h = try inputAdapter(batch.inputs, taps: taps)
        for (index, layer) in layers.enumerated() {
            if index > 0 { h = try dropout(h) }
            h = try layer(h).output
            taps?.record("layers.\(index)", h)
        }
        if case .classes = output { return try head(SequencePooling.last(h, paddingMask: batch.paddingMask)) }
        return try head(h)
    }
}
