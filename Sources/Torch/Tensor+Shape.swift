import CTorch

extension Tensor {
    /// The same elements with a new shape (one entry may be -1). Copies only when the layout requires it.
    public func reshape(_ shape: [Int]) throws -> Tensor {
        try withInt64Buffer(shape) { s, n in try make("reshape") { tt_reshape(handle, s, n, $0) } }
    }

    /// A view with a new shape; throws when the layout does not allow a view.
    public func view(_ shape: [Int]) throws -> Tensor {
        try withInt64Buffer(shape) { s, n in try make("view") { tt_view(handle, s, n, $0) } }
    }

    public func permute(_ dims: [Int]) throws -> Tensor {
        try withInt64Buffer(dims) { d, n in try make("permute") { tt_permute(handle, d, n, $0) } }
    }

    public func transpose(_ d0: Int, _ d1: Int) throws -> Tensor {
        try make("transpose") { tt_transpose(handle, Int64(d0), Int64(d1), $0) }
    }

    /// Broadcast view to `shape` (-1 keeps a size).
    public func expand(_ shape: [Int]) throws -> Tensor {
        try withInt64Buffer(shape) { s, n in try make("expand") { tt_expand(handle, s, n, $0) } }
    }

    /// Removes dimension `dim` if it has size 1, or every size-1 dimension when nil.
    public func squeeze(dim: Int? = nil) throws -> Tensor {
        try make("squeeze") { tt_squeeze(handle, Int64(dim ?? 0), dim == nil ? 1 : 0, $0) }
    }

    public func unsqueeze(dim: Int) throws -> Tensor { try make("unsqueeze") { tt_unsqueeze(handle, Int64(dim), $0) } }

    /// Flattens dimensions start...end into one.
    public func flatten(start: Int = 0, end: Int = -1) throws -> Tensor {
        try make("flatten") { tt_flatten(handle, Int64(start), Int64(end), $0) }
    }

    /// Elements start..<end (step `step`) along `dim`; negative bounds count from the end, bounds are clamped.
    public func slice(dim: Int, start: Int = 0, end: Int = Int(Int64.max), step: Int = 1) throws -> Tensor {
        try make("slice") { tt_slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step), $0) }
    }

    /// Row `index` along `dim`, removing that dimension. Out-of-range indices throw.
    public func select(dim: Int, index: Int) throws -> Tensor {
        try make("select") { tt_select(handle, Int64(dim), Int64(index), $0) }
    }

    /// Entries along `dim` at the int64 `indices` (1-D).
    public func indexSelect(dim: Int, _ indices: Tensor) throws -> Tensor {
        try withExtendedLifetime(indices) { try make("indexSelect") { tt_index_select(handle, Int64(dim), indices.handle, $0) } }
    }

    /// `out[i][j] = self[i][index[i][j]]` for dim 1 (torch.gather).
    public func gather(dim: Int, _ index: Tensor) throws -> Tensor {
        try withExtendedLifetime(index) { try make("gather") { tt_gather(handle, Int64(dim), index.handle, $0) } }
    }

    public func tril(_ diagonal: Int = 0) throws -> Tensor { try make("tril") { tt_tril(handle, Int64(diagonal), $0) } }
    public func triu(_ diagonal: Int = 0) throws -> Tensor { try make("triu") { tt_triu(handle, Int64(diagonal), $0) } }
    public func roll(_ shift: Int, dim: Int) throws -> Tensor { try make("roll") { tt_roll(handle, Int64(shift), Int64(dim), $0) } }
    public func repeated(_ repeats: [Int]) throws -> Tensor {
        try withInt64Buffer(repeats) { r, n in try make("repeat") { tt_repeat(handle, r, n, $0) } }
    }

    /// Concatenation along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try withExtendedLifetime(tensors) {
            let handles: [tt_tensor?] = tensors.map { $0.handle }
            return try handles.withUnsafeBufferPointer { b in
                try make("cat") { tt_cat(b.baseAddress, Int64(b.count), Int64(dim), $0) }
            }
        }
    }

    /// Stacking along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        try withExtendedLifetime(tensors) {
            let handles: [tt_tensor?] = tensors.map { $0.handle }
            return try handles.withUnsafeBufferPointer { b in
                try make("stack") { tt_stack(b.baseAddress, Int64(b.count), Int64(dim), $0) }
            }
        }
    }
}
