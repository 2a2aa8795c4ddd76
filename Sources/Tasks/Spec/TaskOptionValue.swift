public import Config

/// A JSON-like option value, as a manifest gives it to a task: the project-wide `ConfigValue`.
public typealias TaskOptionValue = ConfigValue

extension ConfigValue {
    /// The kind's name as task error messages say it ("integer", "list", ...).
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
}
