import CTorch

/// Binary operation codes of the shim.
enum BinaryOp: Int32 {
    case add = 0, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, remainder, atan2
}

/// Unary operation codes of the shim.
enum UnaryOp: Int32 {
    case neg = 0, exp, log, sqrt, rsqrt, abs, relu, gelu, tanh, sigmoid, sin, cos, square, sign, floor, ceil, round
    case logicalNot, isnan, isfinite, reciprocal, log1p, expm1, silu, geluTanh
}

extension Tensor {
    func binary(_ op: BinaryOp, _ other: Tensor, _ name: StaticString) throws -> Tensor {
        try withExtendedLifetime(other) { try make(name) { tt_binary(op.rawValue, handle, other.handle, $0) } }
    }

    func binary(_ op: BinaryOp, _ scalar: Double, _ name: StaticString) throws -> Tensor {
        try make(name) { tt_binary_scalar(op.rawValue, handle, scalar, $0) }
    }

    func unary(_ op: UnaryOp, _ name: StaticString) throws -> Tensor {
        try make(name) { tt_unary(op.rawValue, handle, $0) }
    }

    // MARK: arithmetic operators (broadcasting as PyTorch)

    public static func + (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.add, b, "add") }
    public static func - (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.sub, b, "sub") }
    public static func * (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.mul, b, "mul") }
    public static func / (a: Tensor, b: Tensor) throws -> Tensor { try a.binary(.div, b, "div") }
    public static func + (a: Tensor, s: Double) throws -> Tensor { try a.binary(.add, s, "add") }
    public static func - (a: Tensor, s: Double) throws -> Tensor { try a.binary(.sub, s, "sub") }
    public static func * (a: Tensor, s: Double) throws -> Tensor { try a.binary(.mul, s, "mul") }
    public static func / (a: Tensor, s: Double) throws -> Tensor { try a.binary(.div, s, "div") }
    public static func + (s: Double, a: Tensor) throws -> Tensor { try a.binary(.add, s, "add") }
    public static func * (s: Double, a: Tensor) throws -> Tensor { try a.binary(.mul, s, "mul") }
    public static func - (s: Double, a: Tensor) throws -> Tensor {
        try make("rsub") { tt_scalar_binary(BinaryOp.sub.rawValue, s, a.handle, $0) }
    }
    public static func / (s: Double, a: Tensor) throws -> Tensor {
        try make("rdiv") { tt_scalar_binary(BinaryOp.div.rawValue, s, a.handle, $0) }
    }
    public static prefix func - (a: Tensor) throws -> Tensor { try a.unary(.neg, "neg") }

    public func pow(_ exponent: Tensor) throws -> Tensor { try binary(.pow, exponent, "pow") }
    public func pow(_ exponent: Double) throws -> Tensor { try binary(.pow, exponent, "pow") }
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(.maximum, other, "maximum") }
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(.minimum, other, "minimum") }
    public func remainder(_ other: Tensor) throws -> Tensor { try binary(.remainder, other, "remainder") }
    public func remainder(_ s: Double) throws -> Tensor { try binary(.remainder, s, "remainder") }

    // MARK: comparisons (bool tensors)

    public func eq(_ other: Tensor) throws -> Tensor { try binary(.eq, other, "eq") }
    public func ne(_ other: Tensor) throws -> Tensor { try binary(.ne, other, "ne") }
    public func lt(_ other: Tensor) throws -> Tensor { try binary(.lt, other, "lt") }
    public func le(_ other: Tensor) throws -> Tensor { try binary(.le, other, "le") }
    public func gt(_ other: Tensor) throws -> Tensor { try binary(.gt, other, "gt") }
    public func ge(_ other: Tensor) throws -> Tensor { try binary(.ge, other, "ge") }
    public func eq(_ s: Double) throws -> Tensor { try binary(.eq, s, "eq") }
    public func ne(_ s: Double) throws -> Tensor { try binary(.ne, s, "ne") }
    public func lt(_ s: Double) throws -> Tensor { try binary(.lt, s, "lt") }
    public func le(_ s: Double) throws -> Tensor { try binary(.le, s, "le") }
    public func gt(_ s: Double) throws -> Tensor { try binary(.gt, s, "gt") }
    public func ge(_ s: Double) throws -> Tensor { try binary(.ge, s, "ge") }
    public func logicalAnd(_ other: Tensor) throws -> Tensor { try binary(.logicalAnd, other, "logicalAnd") }
    public func logicalOr(_ other: Tensor) throws -> Tensor { try binary(.logicalOr, other, "logicalOr") }
    public func logicalNot() throws -> Tensor { try unary(.logicalNot, "logicalNot") }

    // MARK: unary functions

    public func exp() throws -> Tensor { try unary(.exp, "exp") }
    public func log() throws -> Tensor { try unary(.log, "log") }
    public func log1p() throws -> Tensor { try unary(.log1p, "log1p") }
    public func expm1() throws -> Tensor { try unary(.expm1, "expm1") }
    public func sqrt() throws -> Tensor { try unary(.sqrt, "sqrt") }
    public func rsqrt() throws -> Tensor { try unary(.rsqrt, "rsqrt") }
    public func abs() throws -> Tensor { try unary(.abs, "abs") }
    public func square() throws -> Tensor { try unary(.square, "square") }
    public func sign() throws -> Tensor { try unary(.sign, "sign") }
    public func floor() throws -> Tensor { try unary(.floor, "floor") }
    public func ceil() throws -> Tensor { try unary(.ceil, "ceil") }
    public func round() throws -> Tensor { try unary(.round, "round") }
    public func reciprocal() throws -> Tensor { try unary(.reciprocal, "reciprocal") }
    public func sin() throws -> Tensor { try unary(.sin, "sin") }
    public func cos() throws -> Tensor { try unary(.cos, "cos") }
    public func isnan() throws -> Tensor { try unary(.isnan, "isnan") }
    public func isfinite() throws -> Tensor { try unary(.isfinite, "isfinite") }

    // MARK: activations

    public func relu() throws -> Tensor { try unary(.relu, "relu") }
    /// GELU with the exact erf form (PyTorch's default); `approximateTanh` selects the tanh approximation.
    public func gelu(approximateTanh: Bool = false) throws -> Tensor {
        try unary(approximateTanh ? .geluTanh : .gelu, "gelu")
    }
    public func tanh() throws -> Tensor { try unary(.tanh, "tanh") }
    public func sigmoid() throws -> Tensor { try unary(.sigmoid, "sigmoid") }
    public func silu() throws -> Tensor { try unary(.silu, "silu") }
    public func leakyRelu(_ slope: Double = 0.01) throws -> Tensor {
        try make("leakyRelu") { tt_leaky_relu(handle, slope, $0) }
    }

    /// Values clamped to [min, max]; either bound may be omitted.
    public func clamp(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try make("clamp") { tt_clamp(handle, min ?? 0, max ?? 0, min == nil ? 0 : 1, max == nil ? 0 : 1, $0) }
    }

    /// Elementwise `condition ? a : b` (broadcasting).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        try withExtendedLifetime((condition, a, b)) { try make("where") { tt_where(condition.handle, a.handle, b.handle, $0) } }
    }

    /// A copy with `value` wherever `mask` (bool, broadcastable) is true.
    public func maskedFill(_ mask: Tensor, _ value: Double) throws -> Tensor {
        try withExtendedLifetime(mask) { try make("maskedFill") { tt_masked_fill(handle, mask.handle, value, $0) } }
    }
}
