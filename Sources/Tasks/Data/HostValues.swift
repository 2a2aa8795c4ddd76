/// Flat, row-major host storage for inputs: floats (images, signals) or token ids.
public enum HostValues: Sendable, Equatable {
    case float32([Float])
    case int64([Int64])

    /// Number of stored values.
    public var count: Int {
        switch self {
        case let .float32(v): v.count
        case let .int64(v): v.count
        }
    }

    /// The floats, or nil for token storage.
    public var floats: [Float]? {
        if case let .float32(v) = self { return v }
        return nil
    }

    /// The token ids, or nil for float storage.
    public var tokens: [Int64]? {
        if case let .int64(v) = self { return v }
        return nil
    }

    /// Rows `indices` (each `rowSize` values long) copied into a new flat array, in order.
    func gatherRows(_ indices: some Collection<Int>, rowSize: Int) -> HostValues {
        switch self {
        case let .float32(v): .float32(Tasks.gatherRows(v, indices, rowSize: rowSize))
        case let .int64(v): .int64(Tasks.gatherRows(v, indices, rowSize: rowSize))
        }
    }
}

/// Copies whole rows with bulk memory moves: cheap even in debug builds.
func gatherRows<T: BitwiseCopyable>(_ source: [T], _ indices: some Collection<Int>, rowSize: Int) -> [T] {
    let total = indices.count * rowSize
    guard total > 0 else { return [] }
    return [T](unsafeUninitializedCapacity: total) { buffer, initialized in
        source.withUnsafeBufferPointer { src in
            var offset = 0
            for index in indices {
                precondition(index >= 0 && (index + 1) * rowSize <= src.count, "row \(index) out of range")
                (buffer.baseAddress! + offset).initialize(from: src.baseAddress! + index * rowSize, count: rowSize)
                offset += rowSize
            }
        }
        initialized = total
    }
}
