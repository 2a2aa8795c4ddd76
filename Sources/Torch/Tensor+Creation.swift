import CTorch

extension Tensor {
    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try withInt64Buffer(shape) { s, n in try make("zeros") { tt_zeros(s, n, dtype.rawValue, d.type, d.index, $0) } }
    }

    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try withInt64Buffer(shape) { s, n in try make("ones") { tt_ones(s, n, dtype.rawValue, d.type, d.index, $0) } }
    }

    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try withInt64Buffer(shape) { s, n in
            try make("full") { tt_full(s, n, value, dtype.rawValue, d.type, d.index, $0) }
        }
    }

    /// A 0-dimensional tensor holding `value`.
    public static func scalar(_ value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full([], value, dtype: dtype, device: device)
    }

    /// Values `start, start+step, ...` below `end` (as torch.arange).
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .int64,
                              device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try make("arange") { tt_arange(start, end, step, dtype.rawValue, d.type, d.index, $0) }
    }

    /// `steps` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32,
                                device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try make("linspace") { tt_linspace(start, end, Int64(steps), dtype.rawValue, d.type, d.index, $0) }
    }

    /// The n×n identity matrix.
    public static func eye(_ n: Int, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let d = device.code
        return try make("eye") { tt_eye(Int64(n), dtype.rawValue, d.type, d.index, $0) }
    }

    /// A tensor holding `values` (C order) with `shape` (default: 1-D), copied onto `device`.
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int]? = nil, device: Device = .cpu) throws {
        let shape = shape ?? [values.count]
        guard let expected = Self.elementCount(shape) else {
            throw TorchError("Tensor(_:shape:)", "\(values.count) values cannot fill shape \(shape): a size is negative or the product overflows")
        }
        guard expected == values.count else {
            throw TorchError("Tensor(_:shape:)", "\(values.count) values cannot fill shape \(shape) (\(expected) elements)")
        }
        let handle: tt_tensor = try values.withUnsafeBytes { raw in
            try Self.handle(fromBytes: raw, shape: shape, dtype: T.dtype)
        }
        let cpu = Tensor(owning: handle)
        if device == .cpu {
            self.init(owning: try cpu.shallowHandle())
        } else {
            self.init(owning: try cpu.to(device).shallowHandle())
        }
    }

    /// The number of elements of `shape`, or nil when a size is negative or the product overflows `Int`
    /// (shapes from callers or files must not trap).
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for size in shape {
            guard size >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// A tensor built from raw C-order bytes of `dtype` (for example read from a file).
    public static func fromBytes(_ bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws -> Tensor {
        Tensor(owning: try handle(fromBytes: bytes, shape: shape, dtype: dtype))
    }

    static func handle(fromBytes bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws -> tt_tensor {
        try withInt64Buffer(shape) { s, n in
            var out: tt_tensor?
            guard tt_from_bytes(bytes.baseAddress, Int64(bytes.count), s, n, dtype.rawValue, &out) == 0, let h = out else {
                throw TorchError.last("fromBytes")
            }
            return h
        }
    }

    /// A new handle to the same tensor (for initialisers that must adopt another tensor's storage).
    func shallowHandle() throws -> tt_tensor {
        var out: tt_tensor?
        guard tt_shallow_copy(handle, &out) == 0, let h = out else { throw TorchError.last("shallowCopy") }
        return h
    }

    // MARK: random

    /// Standard normal values N(0, 1).
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu,
                             generator: Generator? = nil) throws -> Tensor {
        let d = device.code
        return try withGenerator(generator) { g in
            try withInt64Buffer(shape) { s, n in try make("randn") { tt_randn(s, n, dtype.rawValue, d.type, d.index, g, $0) } }
        }
    }

    /// Uniform values in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu,
                            generator: Generator? = nil) throws -> Tensor {
        let d = device.code
        return try withGenerator(generator) { g in
            try withInt64Buffer(shape) { s, n in try make("rand") { tt_rand(s, n, dtype.rawValue, d.type, d.index, g, $0) } }
        }
    }

    /// Uniform int64 values in [low, high).
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], device: Device = .cpu,
                               generator: Generator? = nil) throws -> Tensor {
        let d = device.code
        return try withGenerator(generator) { g in
            try withInt64Buffer(shape) { s, n in
                try make("randint") { tt_randint(Int64(low), Int64(high), s, n, d.type, d.index, g, $0) }
            }
        }
    }

    /// A random permutation of 0..<n (int64).
    public static func randperm(_ n: Int, device: Device = .cpu, generator: Generator? = nil) throws -> Tensor {
        let d = device.code
        return try withGenerator(generator) { g in try make("randperm") { tt_randperm(Int64(n), d.type, d.index, g, $0) } }
    }

    /// Fills this tensor in place with U(low, high), without recording gradients.
    public func uniform_(_ low: Double, _ high: Double, generator: Generator? = nil) throws {
        try withGenerator(generator) { g in try check("uniform_", tt_uniform_(handle, low, high, g)) }
    }

    /// Fills this tensor in place with N(mean, std²), without recording gradients.
    public func normal_(mean: Double = 0, std: Double = 1, generator: Generator? = nil) throws {
        try withGenerator(generator) { g in try check("normal_", tt_normal_(handle, mean, std, g)) }
    }
}
