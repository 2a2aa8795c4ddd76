import CTorch

enum ReduceOp: Int32 {
    case sum = 0, mean, amax, amin, argmax, argmin, variance, std, logsumexp, prod, norm, any, all
}

extension Tensor {
    func reduce(_ op: ReduceOp, _ dims: [Int], keepDim: Bool, correction: Int = 1, _ name: StaticString) throws -> Tensor {
        try withInt64Buffer(dims) { d, n in
            try make(name) { tt_reduce(op.rawValue, handle, d, n, keepDim ? 1 : 0, Int64(correction), $0) }
        }
    }

    /// Sum over `dims` (all dimensions when empty).
    public func sum(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.sum, dims, keepDim: keepDim, "sum") }
    public func sum(dim: Int, keepDim: Bool = false) throws -> Tensor { try sum([dim], keepDim: keepDim) }
    /// Mean over `dims` (all dimensions when empty).
    public func mean(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.mean, dims, keepDim: keepDim, "mean") }
    public func mean(dim: Int, keepDim: Bool = false) throws -> Tensor { try mean([dim], keepDim: keepDim) }
    /// Maximum values over `dims` (all when empty).
    public func max(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.amax, dims, keepDim: keepDim, "max") }
    public func max(dim: Int, keepDim: Bool = false) throws -> Tensor { try max([dim], keepDim: keepDim) }
    public func min(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.amin, dims, keepDim: keepDim, "min") }
    public func min(dim: Int, keepDim: Bool = false) throws -> Tensor { try min([dim], keepDim: keepDim) }
    /// Index (int64) of the maximum along `dim`, or over the flattened tensor when nil.
    public func argmax(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try reduce(.argmax, dim.map { [$0] } ?? [], keepDim: keepDim, "argmax")
    }
    public func argmin(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try reduce(.argmin, dim.map { [$0] } ?? [], keepDim: keepDim, "argmin")
    }
    /// Variance with Bessel's `correction` (1 = unbiased, as torch.var's default; 0 = biased).
    public func variance(_ dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try reduce(.variance, dims, keepDim: keepDim, correction: correction, "var")
    }
    public func std(_ dims: [Int] = [], correction: Int = 1, keepDim: Bool = false) throws -> Tensor {
        try reduce(.std, dims, keepDim: keepDim, correction: correction, "std")
    }
    public func logsumexp(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        try reduce(.logsumexp, dims, keepDim: keepDim, "logsumexp")
    }
    /// Product over one dimension, or all elements when nil.
    public func prod(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try reduce(.prod, dim.map { [$0] } ?? [], keepDim: keepDim, "prod")
    }
    /// Euclidean (Frobenius) norm over `dims` (all when empty).
    public func norm(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.norm, dims, keepDim: keepDim, "norm") }
    public func any(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.any, dims, keepDim: keepDim, "any") }
    public func all(_ dims: [Int] = [], keepDim: Bool = false) throws -> Tensor { try reduce(.all, dims, keepDim: keepDim, "all") }

    public func cumsum(dim: Int) throws -> Tensor { try make("cumsum") { tt_cumsum(handle, Int64(dim), $0) } }

    /// The k largest (or smallest) values along `dim`, sorted, with their int64 indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        var values: tt_tensor?, indices: tt_tensor?
        try check("topk", tt_topk(handle, Int64(k), Int64(dim), largest ? 1 : 0, &values, &indices))
        return (Tensor(owning: values!), Tensor(owning: indices!))
    }

    public func sort(dim: Int = -1, descending: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        var values: tt_tensor?, indices: tt_tensor?
        try check("sort", tt_sort(handle, Int64(dim), descending ? 1 : 0, &values, &indices))
        return (Tensor(owning: values!), Tensor(owning: indices!))
    }
}
