/// A task could not be configured: unknown task or field, wrong type, or an invalid value.
/// The description names the task and the field and says what was expected.
public struct TaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unknownTask(known: [String])
        case unknownField(String, known: [String])
        case missingField(String)
        case wrongType(String, expected: String, found: String)
        /// `message` completes "field <name> ..." (e.g. "must be ≥ min_length, got 2 < 5").
        case invalidValue(String, message: String)
        /// The data could not be built for a reason that is not one field's fault.
        case dataUnavailable(String)
    }

    public let task: String
    public let kind: Kind

    public init(task: String, _ kind: Kind) {
        self.task = task
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case let .unknownTask(known):
            "unknown task \(task); known tasks: \(known.joined(separator: ", ")) (see `guidance tasks`)"
        case let .unknownField(field, known):
            "task \(task): unknown field \(field); known fields: \(known.joined(separator: ", "))"
        case let .missingField(field):
            "task \(task): field \(field) is required (see `guidance tasks \(task)`)"
        case let .wrongType(field, expected, found):
            "task \(task): field \(field) must be \(expected), got \(found)"
        case let .invalidValue(field, message):
            "task \(task): field \(field) \(message)"
        case let .dataUnavailable(message):
            "task \(task): \(message)"
        }
    }
}
