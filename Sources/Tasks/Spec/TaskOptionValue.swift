/// A JSON-like option value, as a manifest gives it to a task.
public enum TaskOptionValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([TaskOptionValue])
    case object([String: TaskOptionValue])

    /// The kind's name as error messages say it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "list"
        case .object: "mapping"
        }
    }

    public var description: String {
        switch self {
        case .null: "null"
        case let .bool(b): String(b)
        case let .int(i): String(i)
        case let .double(d): String(d)
        case let .string(s): "\"\(s)\""
        case let .array(a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case let .object(o):
            "{" + o.keys.sorted().map { "\($0): \(o[$0]!.description)" }.joined(separator: ", ") + "}"
        }
    }
}
