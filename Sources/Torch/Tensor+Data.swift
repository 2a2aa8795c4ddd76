import CTorch

extension Tensor {
    /// The elements in C order as a Swift array. `T` must match the tensor's dtype exactly
    /// (convert first with `to(_ dtype:)`). Copies from the device when needed.
    public func toArray<T: TensorElement>(_ type: T.Type = T.self) throws -> [T] {
        guard T.dtype == dtype else {
            throw TorchError("toArray", "tensor has dtype \(dtype), asked for \(T.dtype); convert with .to(.\(T.dtype)) first")
        }
        let n = count
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            let status = tt_to_bytes(handle, UnsafeMutableRawPointer(buffer.baseAddress), Int64(n * dtype.byteSize))
            if status != 0 { initialized = 0; throw TorchError.last("toArray") }
            initialized = n
        }
    }

    /// The raw C-order bytes of the tensor (on the CPU), as stored by its dtype.
    public func bytes() throws -> [UInt8] {
        let n = count * dtype.byteSize
        return try [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            if tt_to_bytes(handle, UnsafeMutableRawPointer(buffer.baseAddress), Int64(n)) != 0 {
                initialized = 0
                throw TorchError.last("bytes")
            }
            initialized = n
        }
    }

    /// The single value of a one-element tensor, as a Double.
    public func item() throws -> Double {
        var value = 0.0
        try check("item", tt_item_double(handle, &value))
        return value
    }

    /// The elements converted to Double, whatever the dtype.
    public func doubles() throws -> [Double] { try to(.float64).toArray(Double.self) }

    /// The elements converted to Float, whatever the dtype.
    public func floats() throws -> [Float] { try to(.float32).toArray(Float.self) }

    /// The elements converted to Int64, whatever the dtype.
    public func int64s() throws -> [Int64] { try to(.int64).toArray(Int64.self) }

    // MARK: conversion

    /// A copy on `device` (self when already there).
    public func to(_ device: Device) throws -> Tensor {
        let d = device.code
        return try make("to(device)") { tt_to_device(handle, d.type, d.index, $0) }
    }

    /// A copy converted to `dtype` (self when already of that type).
    public func to(_ dtype: DType) throws -> Tensor {
        try make("to(dtype)") { tt_to_dtype(handle, dtype.rawValue, $0) }
    }

    /// A tensor with the same values laid out contiguously.
    public func contiguous() throws -> Tensor { try make("contiguous") { tt_contiguous(handle, $0) } }

    /// A deep copy (differentiable).
    public func clone() throws -> Tensor { try make("clone") { tt_clone(handle, $0) } }

    /// The same values cut from the autograd graph (shares storage).
    public func detach() throws -> Tensor { try make("detach") { tt_detach(handle, $0) } }
}
