/// Decodes a task's options against its declared fields: types checked, defaults applied,
/// unknown keys refused, every error naming the task and field.
public struct TaskOptions: Sendable {
    public let task: String
    public let values: [String: TaskOptionValue]
    public let fields: [TaskField]

    /// Fails on keys that are not among `fields`.
    public init(task: String, values: [String: TaskOptionValue], fields: [TaskField]) throws {
        self.task = task
        self.values = values
        self.fields = fields
        let known = Set(fields.map(\.name))
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw TaskError(task: task, .unknownField(unknown, known: fields.map(\.name)))
        }
    }

    /// The given value, else the default; throws when a required field is missing.
    private func value(_ field: TaskField) throws -> TaskOptionValue {
        precondition(fields.contains(field), "field \(field.name) is not declared by task \(task)")
        if let v = values[field.name], v != .null { return v }
        if let d = field.defaultValue { return d }
        throw TaskError(task: task, .missingField(field.name))
    }

    private func wrongType(_ field: TaskField, _ found: TaskOptionValue) -> TaskError {
        TaskError(task: task, .wrongType(field.name, expected: field.type.withArticle, found: "\(found.typeName) \(found)"))
    }

    public func int(_ field: TaskField) throws -> Int {
        let v = try value(field)
        switch v {
        case let .int(i): return i
        case let .double(d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: throw wrongType(field, v)
        }
    }

    public func double(_ field: TaskField) throws -> Double {
        let v = try value(field)
        switch v {
        case let .int(i): return Double(i)
        case let .double(d): return d
        default: throw wrongType(field, v)
        }
    }

    public func bool(_ field: TaskField) throws -> Bool {
        let v = try value(field)
        guard case let .bool(b) = v else { throw wrongType(field, v) }
        return b
    }

    /// A string; for a field with `choices`, one of them.
    public func string(_ field: TaskField) throws -> String {
        let v = try value(field)
        guard case let .string(s) = v else { throw wrongType(field, v) }
        if let choices = field.choices, !choices.contains(s) {
            throw invalid(field, "must be one of \(choices.joined(separator: ", ")), got \(s)")
        }
        return s
    }

    /// A list of numbers, or nil when the field is absent and has a `.null` default.
    public func numberList(_ field: TaskField) throws -> [Double]? {
        let v = try value(field)
        if v == .null { return nil }
        guard case let .array(items) = v else { throw wrongType(field, v) }
        return try items.map { item in
            switch item {
            case let .int(i): Double(i)
            case let .double(d): d
            default: throw wrongType(field, v)
            }
        }
    }

    /// An integer seed (non-negative).
    public func seed(_ field: TaskField) throws -> UInt64 {
        let s = try int(field)
        guard s >= 0 else { throw invalid(field, "must be ≥ 0, got \(s)") }
        return UInt64(s)
    }

    /// The error for a value that has the right type but is not acceptable.
    public func invalid(_ field: TaskField, _ message: String) -> TaskError {
        TaskError(task: task, .invalidValue(field.name, message: message))
    }

    /// Throws `invalid(field, message)` unless `condition` holds.
    public func require(_ condition: Bool, _ field: TaskField, _ message: @autoclosure () -> String) throws {
        if !condition { throw invalid(field, message()) }
    }

    /// Integer in a closed range.
    public func int(_ field: TaskField, in range: ClosedRange<Int>) throws -> Int {
        let v = try int(field)
        try require(range.contains(v), field, "must be in \(range.lowerBound)...\(range.upperBound), got \(v)")
        return v
    }

    /// Number in a closed range.
    public func double(_ field: TaskField, in range: ClosedRange<Double>) throws -> Double {
        let v = try double(field)
        try require(range.contains(v), field, "must be in [\(range.lowerBound), \(range.upperBound)], got \(v)")
        return v
    }
}
