public import Config

/// Typed reads of a JSON object parsed by `ConfigValue(json:)`, with the conversions `JSONCoding`'s decoder makes:
/// a `Double` also from an integer or from the strings "nan", "inf", "-inf"; an `Int` only from an integral number;
/// an absent or `null` member is nil for an optional. Every read returns nil where that decoder would throw, so a
/// hand-written decoder built on it can fall back to the `Decodable` path, which then reports the error with the
/// field's path.
public struct JSONFields {
    public let members: [String: ConfigValue]

    /// Nil unless `value` is an object.
    public init?(_ value: ConfigValue?) {
        guard case .object(let members)? = value else { return nil }
        self.members = members
    }

    /// Whether `key` is absent or null (an optional member left out).
    public func isAbsent(_ key: String) -> Bool {
        switch members[key] {
        case nil, .null?: return true
        default: return false
        }
    }

    public func string(_ key: String) -> String? { Self.string(members[key]) }
    public func int(_ key: String) -> Int? { Self.int(members[key]) }
    public func double(_ key: String) -> Double? { Self.double(members[key]) }
    public func bool(_ key: String) -> Bool? { Self.bool(members[key]) }
    public func object(_ key: String) -> JSONFields? { JSONFields(members[key]) }

    /// The member's array elements; nil when it is not an array.
    public func array(_ key: String) -> [ConfigValue]? {
        guard case .array(let elements)? = members[key] else { return nil }
        return elements
    }

    public static func string(_ value: ConfigValue?) -> String? {
        guard case .string(let text)? = value else { return nil }
        return text
    }

    public static func int(_ value: ConfigValue?) -> Int? {
        guard case .int(let number)? = value else { return nil }
        return number
    }

    public static func bool(_ value: ConfigValue?) -> Bool? {
        guard case .bool(let flag)? = value else { return nil }
        return flag
    }

    public static func double(_ value: ConfigValue?) -> Double? {
        switch value {
        case .double(let number)?: return number
        case .int(let number)?: return Double(number)
        case .string("nan")?: return .nan
        case .string("inf")?: return .infinity
        case .string("-inf")?: return -.infinity
        default: return nil
        }
    }

    /// An optional member: `.some(nil)` when absent or null, `.some(value)` when `read` accepts it, nil (not
    /// decodable) otherwise.
    public func optional<T>(_ key: String, _ read: (ConfigValue?) -> T?) -> T?? {
        if isAbsent(key) { return .some(nil) }
        guard let value = read(members[key]) else { return nil }
        return .some(value)
    }
}
