public import Torch

/// Multi-head scaled dot-product attention, batch first, as `torch.nn.MultiheadAttention(batch_first=True)`:
/// query [N, T, E], key/value [N, S, E] → [N, T, E].
/// Init (PyTorch's): in-projection [3E, E] xavier-uniform with zero bias; out-projection a Linear whose bias is zeroed.
public final class MultiheadAttention: Module, @unchecked Sendable {
    public let inProjWeight: Tensor
    public let inProjBias: Tensor
    public let outProj: Linear
    public let embedDim: Int
    public let heads: Int
    public let dropout: Double

    public init(embedDim: Int, heads: Int, dropout: Double = 0, init p: ParameterInit) throws {
        guard embedDim > 0, heads > 0, embedDim % heads == 0 else {
            throw TorchError("MultiheadAttention", "heads (\(heads)) must divide the model width (\(embedDim))")
        }
        inProjWeight = try p.xavierUniform([3 * embedDim, embedDim])
        inProjBias = try p.zeros([3 * embedDim])
        let projection = try Linear(embedDim, embedDim, init: p)
        try Torch.withNoGrad { try projection.bias?.zero_() }
        outProj = projection
        self.embedDim = embedDim
        self.heads = heads
        self.dropout = dropout
        super.init()
    }

    /// Self-attention over x [N, T, E]. `causal` hides future positions; `keyPaddingMask` [N, T] (bool, true = padding)
    /// hides padded keys. A query row that can see no key yields NaN, as in PyTorch.
    public func callAsFunction(_ x: Tensor, causal: Bool = false, keyPaddingMask: Tensor? = nil) throws -> Tensor {
        try attend(query: x, key: x, value: x, causal: causal, keyPaddingMask: keyPaddingMask)
    }

    public func attend(query: Tensor, key: Tensor, value: Tensor, causal: Bool = false,
                       keyPaddingMask: Tensor? = nil) throws -> Tensor {
        guard query.rank == 3, query.size(2) == embedDim else {
            throw TorchError("MultiheadAttention", "expected query [N, T, \(embedDim)], got \(query.shape)")
        }
        let n = query.size(0), t = query.size(1), s = key.size(1), d = embedDim / heads, e = embedDim
        let q: Tensor, k: Tensor, v: Tensor
        if query === key && key === value {
            let qkv = try query.linear(weight: inProjWeight, bias: inProjBias)  // [N, T, 3E]
            q = try qkv.slice(dim: 2, start: 0, end: e)
            k = try qkv.slice(dim: 2, start: e, end: 2 * e)
            v = try qkv.slice(dim: 2, start: 2 * e, end: 3 * e)
        } else {
            q = try query.linear(weight: inProjWeight.slice(dim: 0, start: 0, end: e), bias: inProjBias.slice(dim: 0, start: 0, end: e))
            k = try key.linear(weight: inProjWeight.slice(dim: 0, start: e, end: 2 * e), bias: inProjBias.slice(dim: 0, start: e, end: 2 * e))
            v = try value.linear(weight: inProjWeight.slice(dim: 0, start: 2 * e, end: 3 * e), bias: inProjBias.slice(dim: 0, start: 2 * e, end: 3 * e))
        }
        // [N, L, E] → [N, heads, L, d]
        let qh = try q.reshape([n, t, heads, d]).transpose(1, 2)
        let kh = try k.reshape([n, s, heads, d]).transpose(1, 2)
        let vh = try v.reshape([n, s, heads, d]).transpose(1, 2)
        var scores = try qh.matmul(kh.transpose(2, 3)) / Double(d).squareRoot()  // [N, heads, T, S]
        if causal {
            let future = try Tensor.ones([t, s], dtype: .bool, device: query.device).triu(1)
            scores = try scores.maskedFill(future, -Double.infinity)
        }
        if let mask = keyPaddingMask {
            guard mask.shape == [n, s] else {
                throw TorchError("MultiheadAttention", "key padding mask must be [\(n), \(s)], got \(mask.shape)")
            }
            scores = try scores.maskedFill(mask.reshape([n, 1, 1, s]), -Double.infinity)
        }
        var weights = try scores.softmax(dim: -1)
        if isTraining && dropout > 0 { weights = try weights.dropout(dropout, training: true) }
        let context = try weights.matmul(vh).transpose(1, 2).reshape([n, t, e])  // [N, T, E]
        return try outProj(context)
    }
}
