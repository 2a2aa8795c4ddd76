import CTorch

/// An n-dimensional array owned through a libtorch handle; freed when the last Swift reference goes.
///
/// Every operation that can fail (shape, dtype or device mismatch, out-of-range index) `throws` a
/// ``TorchError``; none crashes the process. Arithmetic operators throw too, so one `try` covers an
/// expression: `let y = try (x.matmul(w) + b).relu()`.
///
/// Tensors may be passed between threads (libtorch reference counts atomically), but mutating one in
/// place while another thread reads it is a data race the caller must avoid.
public final class Tensor: @unchecked Sendable {
    let handle: tt_tensor

    /// Takes ownership of a handle returned by the shim.
    init(owning handle: tt_tensor) { self.handle = handle }

    deinit { tt_free(handle) }

    /// Sizes of each dimension, outermost first.
    public var shape: [Int] {
        let rank = Int(tt_dim(handle))
        var sizes = [Int64](repeating: 0, count: Swift.max(rank, 1))
        _ = sizes.withUnsafeMutableBufferPointer { tt_sizes(handle, $0.baseAddress, Int64(rank)) }
        return sizes.prefix(rank).map { Int($0) }
    }

    /// Number of dimensions.
    public var rank: Int { Int(tt_dim(handle)) }

    /// Number of elements.
    public var count: Int { Int(tt_numel(handle)) }

    /// Size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) -> Int {
        let s = shape
        return s[dim < 0 ? s.count + dim : dim]
    }

    public var dtype: DType { DType(rawValue: tt_dtype(handle)) ?? .float32 }

    public var device: Device { Device(type: tt_device_type(handle), index: tt_device_index(handle)) }

    /// Whether autograd records operations on this tensor (for leaves: whether it gets a `.grad`).
    public var requiresGrad: Bool { tt_requires_grad(handle) != 0 }

    /// Marks a leaf tensor as a parameter to differentiate (or stops that). Returns self for chaining.
    @discardableResult
    public func requiresGrad(_ flag: Bool) throws -> Tensor {
        try check("requiresGrad", tt_set_requires_grad(handle, flag ? 1 : 0))
        return self
    }
}

extension Tensor: CustomStringConvertible {
    /// libtorch's printed form (values, dtype and shape).
    public var description: String {
        let needed = Int(tt_describe(handle, nil, 0))
        var buffer = [CChar](repeating: 0, count: needed + 1)
        _ = buffer.withUnsafeMutableBufferPointer { tt_describe(handle, $0.baseAddress, Int64(needed + 1)) }
        return String(decoding: buffer.prefix(needed).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
