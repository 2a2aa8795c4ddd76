public import Torch

/// A lookup table: int64 ids [...] → vectors [..., dim]. Init (PyTorch's default): N(0, 1); the padding row, if
/// any, starts at zero and receives no gradient.
public final class Embedding: Module, @unchecked Sendable {
    public let weight: Tensor
    public let paddingIndex: Int?

    public init(_ count: Int, _ dim: Int, paddingIndex: Int? = nil, init p: ParameterInit) throws {
        guard count > 0, dim > 0 else { throw TorchError("Embedding", "count and dim must be positive, got \(count)×\(dim)") }
        if let pad = paddingIndex, !(0..<count).contains(pad) {
            throw TorchError("Embedding", "padding index \(pad) outside 0..<\(count)")
        }
        let table = try p.normal([count, dim])
        if let pad = paddingIndex {
            try Torch.withNoGrad { try table.select(dim: 0, index: pad).zero_() }
        }
        weight = table
        self.paddingIndex = paddingIndex
        super.init()
    }

    public func callAsFunction(_ ids: Tensor) throws -> Tensor { try weight.embedding(ids, paddingIndex: paddingIndex) }
}

/// Inverted dropout with probability `p`, active in training mode only.
public final class Dropout: Module, @unchecked Sendable {
    public let p: Double

    public init(_ p: Double) throws {
        guard (0..<1).contains(p) else { throw TorchError("Dropout", "probability must be in [0, 1), got \(p)") }
        self.p = p
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        p == 0 || !isTraining ? x : try x.dropout(p, training: true)
    }
}
