public import NN
public import Torch

/// Family `transformer`: tokens embedded (or image/signal patches projected by a Conv), positional encodings, `layers`
/// TransformerLayers (post-LN by default, pre-LN with `norm_first`, plus a final LayerNorm then), and a Linear head on
/// the mean over non-padding positions (classes) or at every position (per-token). For next-token outputs the
/// layers are causal (a decoder-only Transformer); with option `causal` they are for any output (each position
/// attends to itself and earlier ones only, as a per-token encoder reading left to right).
/// Taps: `input.patch` (patch inputs), per layer `layers.i.{attention, norm1, linear1, linear2, norm2}` in
/// execution order, `norm` (pre-LN only).
public final class TransformerModel: Model, @unchecked Sendable {
    public let inputAdapter: SequenceInput
    public let positions: PositionalEncoding
    public let embedDropout: Dropout
    public let layers: [TransformerLayer]
    public let norm: LayerNorm?
    public let head: Linear
    let causal: Bool

    init(input: ModelInput, output: ModelOutput, layers count: Int, width: Int, heads: Int, feedForward: Int, dropout: Double,
         normFirst: Bool, gelu: Bool, positional: PositionalEncoding.Kind, patch: Int, causal: Bool = false,
         init p: ParameterInit) throws {
        let patchSize: Int
        if case .tokens = input { patchSize = 0 } else { patchSize = patch }
        inputAdapter = try SequenceInput(input, width: width, patchSize: patchSize, family: "transformer", init: p)
        positions = try PositionalEncoding(positional, maxLength: inputAdapter.length, width: width, init: p)
        embedDropout = try Dropout(dropout)
        layers = try (0..<count).map { _ in
            try TransformerLayer(width: width, heads: heads, feedForward: feedForward, dropout: dropout, normFirst: normFirst,
                                 gelu: gelu, init: p)
        }
        norm = normFirst ? try LayerNorm(width, init: p) : nil
        switch output {
        case .classes(let k): head = try Linear(width, k, init: p); self.causal = causal
        case .perToken(let v): head = try Linear(width, v, init: p); self.causal = causal
        case .nextToken(let v): head = try Linear(width, v, init: p); self.causal = true
        }
        super.init(family: "transformer", input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        var h = try embedDropout(positions(inputAdapter(batch.inputs, taps: taps?.scope("input"))))
        let mask = inputAdapter.embedding != nil ? batch.paddingMask : nil
        for (index, layer) in layers.enumerated() {
            h = try layer(h, causal: causal, keyPaddingMask: causal ? nil : mask, taps: taps?.scope("layers.\(index)"))
        }
        if let norm {
            h = try norm(h)
            taps?.record("norm", h)
        }
        if case .classes = output { return try head(SequencePooling.mean(h, paddingMask: mask)) }
        return try head(h)
    }
}
