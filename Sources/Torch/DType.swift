import CTorch

/// Element type of a tensor. Raw values are the shim's codes (`TT_FLOAT32`, ...).
public enum DType: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case float32 = 0, float64 = 1, int64 = 2, bool = 3, int32 = 4, uint8 = 5, int8 = 6, int16 = 7
    case float16 = 8, bfloat16 = 9

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .int16, .float16, .bfloat16: return 2
        case .bool, .uint8, .int8: return 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .int64: "int64"
        case .bool: "bool"
        case .int32: "int32"
        case .uint8: "uint8"
        case .int8: "int8"
        case .int16: "int16"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        }
    }
}

/// Swift scalar types that map one-to-one onto a tensor element type.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
}
extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension Int16: TensorElement { public static var dtype: DType { .int16 } }
extension Int8: TensorElement { public static var dtype: DType { .int8 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
