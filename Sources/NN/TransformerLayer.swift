import Foundation
public import Torch

/// One Transformer block, as `torch.nn.TransformerEncoderLayer(batch_first=True)`: self-attention and a two-layer
/// feed-forward network, each with a residual connection, dropout and LayerNorm — after the residual (post-LN,
/// PyTorch's default) or before each sub-layer (pre-LN, `normFirst`). With `causal` it is a decoder-only block.
/// x [N, T, E] → [N, T, E].
///
/// Taps (method.md §3), in execution order: `attention` (attention output), `linear1` (pre-activation),
/// `linear2`, and the LayerNorm outputs `norm1`/`norm2` where they run.
public final class TransformerLayer: Module, @unchecked Sendable {
    public let attention: MultiheadAttention
    public let linear1: Linear
    public let linear2: Linear
    public let norm1: LayerNorm
    public let norm2: LayerNorm
    public let dropout: Dropout
    public let normFirst: Bool
    public let gelu: Bool

    public init(width: Int, heads: Int, feedForward: Int, dropout: Double = 0.1, normFirst: Bool = false,
                gelu: Bool = false, init p: ParameterInit) throws {
        attention = try MultiheadAttention(embedDim: width, heads: heads, dropout: dropout, init: p)
        linear1 = try Linear(width, feedForward, init: p)
        linear2 = try Linear(feedForward, width, init: p)
        norm1 = try LayerNorm(width, init: p)
        norm2 = try LayerNorm(width, init: p)
        self.dropout = try Dropout(dropout)
        self.normFirst = normFirst
        self.gelu = gelu
        super.init()
    }

    public func callAsFunction(_ x: Tensor, causal: Bool = false, keyPaddingMask: Tensor? = nil,
                               taps: TapScope? = nil) throws -> Tensor {
        func selfAttention(_ h: Tensor) throws -> Tensor {
            let a = try attention(h, causal: causal, keyPaddingMask: keyPaddingMask)
            taps?.record("attention", a)
            return try dropout(a)
        }
        func feedForward(_ h: Tensor) throws -> Tensor {
            let u = try linear1(h)
            taps?.record("linear1", u)
            let activated = try gelu ? u.gelu() : u.relu()
            let w = try linear2(dropout(activated))
            taps?.record("linear2", w)
            return try dropout(w)
        }
        func norm(_ layer: LayerNorm, _ name: String, _ h: Tensor) throws -> Tensor {
            let y = try layer(h)
            taps?.record(name, y)
            return y
        }
        if normFirst {
            let h = try x + selfAttention(norm(norm1, "norm1", x))
            return try h + feedForward(norm(norm2, "norm2", h))
        }
        let h = try norm(norm1, "norm1", x + selfAttention(x))
        return try norm(norm2, "norm2", h + feedForward(h))
    }

    /// Tap names in the order `callAsFunction` records them.
    public var tapNames: [String] {
        normFirst ? ["norm1", "attention", "norm2", "linear1", "linear2"] : ["attention", "norm1", "linear1", "linear2", "norm2"]
    }
}

/// Position information added to token embeddings: fixed sinusoids (Vaswani et al.) or a learned table
/// (init N(0, 1) as an Embedding). x [N, T, E] → x + PE[:T].
public final class PositionalEncoding: Module, @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable { case sinusoidal, learned }

    public let table: Tensor?
    public let fixed: Buffer?
    public let maxLength: Int

    public init(_ kind: Kind, maxLength: Int, width: Int, init p: ParameterInit) throws {
        guard maxLength > 0, width > 0 else { throw TorchError("PositionalEncoding", "maxLength and width must be positive") }
        self.maxLength = maxLength
        switch kind {
        case .learned:
            table = try p.normal([maxLength, width])
            fixed = nil
        case .sinusoidal:
            var values = [Float](repeating: 0, count: maxLength * width)
            for pos in 0..<maxLength {
                for i in stride(from: 0, to: width, by: 2) {
                    let angle = Double(pos) / pow(10000, Double(i) / Double(width))
                    values[pos * width + i] = Float(sin(angle))
                    if i + 1 < width { values[pos * width + i + 1] = Float(cos(angle)) }
                }
            }
            table = nil
            fixed = Buffer(try Tensor(values, shape: [maxLength, width], device: p.device).to(p.dtype), persistent: false)
        }
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let t = x.size(1)
        guard t <= maxLength else { throw TorchError("PositionalEncoding", "sequence length \(t) exceeds maxLength \(maxLength)") }
        let pe = try (table ?? fixed!.value).slice(dim: 0, start: 0, end: t)
        return try x + pe
    }
}
