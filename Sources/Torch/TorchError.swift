import CTorch

/// An error raised by libtorch (shape, dtype or device mismatch, out-of-range index, ...) or by the
/// Swift layer's own checks. The process survives; the tensors involved are unchanged.
public struct TorchError: Error, CustomStringConvertible, Sendable {
    /// The operation that failed, e.g. "matmul".
    public let operation: String
    /// libtorch's message (without its C++ backtrace) or the Swift layer's reason.
    public let message: String

    public init(_ operation: String, _ message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }

    /// The error stored by the shim on this thread for the call that just failed.
    static func last(_ operation: String) -> TorchError {
        TorchError(operation, String(cString: tt_last_error()))
    }
}

/// Runs a shim call that returns one tensor through its last argument.
@inline(__always)
func make(_ operation: StaticString, _ body: (UnsafeMutablePointer<tt_tensor?>) -> Int32) throws -> Tensor {
    var out: tt_tensor?
    guard body(&out) == 0, let handle = out else { throw TorchError.last("\(operation)") }
    return Tensor(owning: handle)
}

/// Runs a shim call that returns only a status code.
@inline(__always)
func check(_ operation: StaticString, _ status: Int32) throws {
    if status != 0 { throw TorchError.last("\(operation)") }
}

/// Passes `values` to C as a contiguous `int64_t` buffer with its count.
@inline(__always)
func withInt64Buffer<R>(_ values: [Int], _ body: (UnsafePointer<Int64>?, Int64) throws -> R) rethrows -> R {
    let converted = values.map { Int64($0) }
    return try converted.withUnsafeBufferPointer { try body($0.baseAddress, Int64($0.count)) }
}
