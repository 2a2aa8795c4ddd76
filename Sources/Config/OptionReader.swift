/// A field of a configuration has a value that is not allowed.
public struct OptionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is being configured, e.g. "model fcn" or "task parity".
    public let subject: String
    /// The field's name.
    public let field: String
    /// What is wrong and what would be right.
    public let reason: String

    public init(subject: String, field: String, reason: String) {
        self.subject = subject
        self.field = field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? "\(subject): \(reason)" : "\(subject): field '\(field)' \(reason)" }
}

/// Reads typed options with defaults out of a `[String: ConfigValue]` mapping, remembering which keys were read
/// so that `finish()` can reject unknown ones (with a "did you mean" hint).
///
///     var r = OptionReader(options, subject: "model fcn")
///     let depth = try r.int("depth", default: 8, range: 1...1000)
///     try r.finish()
public struct OptionReader {
    public let subject: String
    private let options: [String: ConfigValue]
    private var known: [String] = []

    public init(_ options: [String: ConfigValue], subject: String) {
        self.options = options
        self.subject = subject
    }

    private mutating func value(_ key: String) -> ConfigValue? {
        known.append(key)
        if let v = options[key], v != .null { return v }
        return nil
    }

    public func error(_ field: String, _ reason: String) -> OptionError {
        OptionError(subject: subject, field: field, reason: reason)
    }

    public mutating func int(_ key: String, default fallback: Int, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = value(key) else { return fallback }
        let result: Int
        switch v {
        case .int(let i): result = i
        case .double(let d) where d == d.rounded() && Swift.abs(d) < 1e15: result = Int(d)
        default: throw error(key, "must be an integer, got \(v.kindName) \(v)")
        }
        if let range, !range.contains(result) {
            throw error(key, "must be in \(range.lowerBound)...\(range.upperBound), got \(result)")
        }
        return result
    }

    public mutating func double(_ key: String, default fallback: Double, range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = value(key) else { return fallback }
        let result: Double
        switch v {
        case .int(let i): result = Double(i)
        case .double(let d): result = d
        default: throw error(key, "must be a number, got \(v.kindName) \(v)")
        }
        if let range, !range.contains(result) {
            throw error(key, "must be in \(range.lowerBound)...\(range.upperBound), got \(result)")
        }
        return result
    }

    public mutating func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let v = value(key) else { return fallback }
        guard case .bool(let b) = v else { throw error(key, "must be true or false, got \(v.kindName) \(v)") }
        return b
    }

    public mutating func string(_ key: String, default fallback: String) throws -> String {
        guard let v = value(key) else { return fallback }
        guard case .string(let s) = v else { throw error(key, "must be a string, got \(v.kindName) \(v)") }
        return s
    }

    /// A string that must be one of `allowed`.
    public mutating func choice(_ key: String, default fallback: String, allowed: [String]) throws -> String {
        let s = try string(key, default: fallback)
        guard allowed.contains(s) else {
            throw error(key, "must be one of \(allowed.joined(separator: ", ")), got \"\(s)\"\(Suggestion.parenthesized(for: s, in: allowed))")
        }
        return s
    }

    public mutating func optionalString(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw error(key, "must be a string, got \(v.kindName) \(v)") }
        return s
    }

    /// A list of integers; a single integer is accepted as a one-element list.
    public mutating func ints(_ key: String, default fallback: [Int], range: ClosedRange<Int>? = nil) throws -> [Int] {
        guard let v = value(key) else { return fallback }
        let items: [ConfigValue]
        switch v {
        case .array(let a): items = a
        case .int: items = [v]
        default: throw error(key, "must be a list of integers, got \(v.kindName) \(v)")
        }
        return try items.map { item in
            guard case .int(let i) = item else { throw error(key, "must be a list of integers, found \(item)") }
            if let range, !range.contains(i) { throw error(key, "entries must be in \(range.lowerBound)...\(range.upperBound), got \(i)") }
            return i
        }
    }

    /// Throws when `options` holds a key no accessor asked for.
    public func finish() throws {
        let unknown = options.keys.filter { !known.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        throw OptionError(subject: subject, field: first,
                          reason: "is not a known field\(Suggestion.parenthesized(for: first, in: known)); known fields: \(known.sorted().joined(separator: ", "))")
    }
}

