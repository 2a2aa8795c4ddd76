/// One documented option of a task: its name, type, default and meaning.
public struct TaskField: Sendable, Hashable {
    public enum FieldType: String, Sendable, Hashable {
        case int = "integer"
        case double = "number"
        case bool = "boolean"
        case string
        case path
        case numberList = "list of numbers"

        /// "an integer", "a number", ...
        public var withArticle: String { (rawValue.first == "i" ? "an " : "a ") + rawValue }
    }

    /// Manifest key, snake_case.
    public let name: String
    public let type: FieldType
    /// Value used when the manifest omits the field; nil means the field is required.
    public let defaultValue: TaskOptionValue?
    /// Allowed values for a string field, nil when free.
    public let choices: [String]?
    /// One line: meaning and unit.
    public let summary: String

    public init(
        _ name: String, _ type: FieldType, default defaultValue: TaskOptionValue?,
        choices: [String]? = nil, _ summary: String
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.choices = choices
        self.summary = summary
    }

    /// True when the manifest must give a value.
    public var isRequired: Bool { defaultValue == nil }
}
