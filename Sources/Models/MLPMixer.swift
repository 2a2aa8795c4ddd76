public import NN
public import Torch

/// A two-layer perceptron with GELU: Linear → GELU → Linear. Taps `linear1`, `linear2`.
public final class MixerMLP: Module, @unchecked Sendable {
    public let linear1: Linear
    public let linear2: Linear

    init(_ features: Int, hidden: Int, init p: ParameterInit) throws {
        linear1 = try Linear(features, hidden, init: p)
        linear2 = try Linear(hidden, features, init: p)
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        let u = try linear1(x)
        taps?.record("linear1", u)
        let v = try linear2(u.gelu())
        taps?.record("linear2", v)
        return v
    }
}

/// One Mixer block (Tolstikhin et al., 2021): token mixing across positions, then channel mixing, each pre-LN with
/// a residual connection. Taps: `norm1`, `tokens.linear1/2`, `norm2`, `channels.linear1/2`.
public final class MixerBlock: Module, @unchecked Sendable {
    public let norm1: LayerNorm
    public let tokens: MixerMLP
    public let norm2: LayerNorm
    public let channels: MixerMLP

    init(length: Int, width: Int, tokenHidden: Int, channelHidden: Int, init p: ParameterInit) throws {
        norm1 = try LayerNorm(width, init: p)
        tokens = try MixerMLP(length, hidden: tokenHidden, init: p)
        norm2 = try LayerNorm(width, init: p)
        channels = try MixerMLP(width, hidden: channelHidden, init: p)
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        let a = try norm1(x)
        taps?.record("norm1", a)
        let mixed = try tokens(a.transpose(1, 2), taps: taps?.scope("tokens")).transpose(1, 2)
        let h = try x + mixed
        let b = try norm2(h)
        taps?.record("norm2", b)
        return try h + channels(b, taps: taps?.scope("channels"))
    }
}

/// Family `mixer` (MLP-Mixer): patches (or token embeddings) → `layers` MixerBlocks → LayerNorm → mean over
/// positions → Linear head (or a per-position head for per-token outputs). No attention, no convolution beyond the
/// patch projection: a third inductive bias between FCNs and Transformers.
/// Taps: `input.patch`, every block's taps, `norm`.
public final class MLPMixer: Model, @unchecked Sendable {
    public let inputAdapter: SequenceInput
    public let blocks: [MixerBlock]
    public let norm: LayerNorm
    public let head: Linear

    init(input: ModelInput, output: ModelOutput, layers: Int, width: Int, tokenHidden: Int, channelHidden: Int, patch: Int,
         init p: ParameterInit) throws {
        let patchSize: Int
        if case .tokens = input { patchSize = 0 } else { patchSize = patch }
        let adapter = try SequenceInput(input, width: width, patchSize: patchSize, family: "mixer", init: p)
        inputAdapter = adapter
        blocks = try (0..<layers).map { _ in
            try MixerBlock(length: adapter.length, width: width, tokenHidden: tokenHidden, channelHidden: channelHidden, init: p)
        }
        norm = try LayerNorm(width, init: p)
        switch output {
        case .classes(let k), .perToken(let k): head = try Linear(width, k, init: p)
        case .nextToken: throw ModelError("mixer", "token mixing sees every position; use rnn, lstm or transformer for next-token outputs")
        }
        super.init(family: "mixer", input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        var h = try inputAdapter(batch.inputs, taps: taps?.scope("input"))
        for (index, block) in blocks.enumerated() { h = try block(h, taps: taps?.scope("blocks.\(index)")) }
        h = try norm(h)
        taps?.record("norm", h)
        if case .classes = output { return try head(h.mean(dim: 1)) }
        return try head(h)
    }
}
