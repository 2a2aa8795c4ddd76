public import Config

/// One configurable field of a model family: its manifest name, its default and its meaning.
///
/// The default is either a value (what the builder uses when the manifest leaves the field out) or derived from
/// other fields (`4×width`, "from depth"), in which case the builder computes it and `ModelSpec.normalized` knows the
/// rule. Changing a value default changes what a job that omits the field computes; `identityDefault` keeps the value
/// that such jobs were hashed with, so their ids stay tied to what they ran (pinned by `SpecIdentityTests.testIdentityDefaultsArePinned`).
public struct ModelField: Sendable {
    public enum Default: Sendable, Equatable {
        case value(ConfigValue)
        /// Computed from other fields; the text documents how.
        case derived(String)
    }

    public let name: String
    public let defaultValue: Default
    public let help: String
    /// The value jobs that omit this field are hashed with. Equal to the default until someone changes the default:
    /// then it keeps the old value, so omitting the field gives a new id (a new computation) and writing the old value
    /// explicitly keeps the stored results' ids.
    public let identityDefault: ConfigValue?

    /// - Parameter identity: the default that ids were hashed with when it differs from `value` (see `identityDefault`).
    public init(_ name: String, _ value: ConfigValue, _ help: String, identity: ConfigValue? = nil) {
        self.name = name
        defaultValue = .value(value)
        self.help = help
        identityDefault = identity ?? value
    }

    public init(_ name: String, derived rule: String, _ help: String) {
        self.name = name
        defaultValue = .derived(rule)
        self.help = help
        identityDefault = nil
    }

    /// The default as a value, nil when derived.
    public var value: ConfigValue? {
        if case .value(let v) = defaultValue { return v }
        return nil
    }

    /// The default as `guidance archs` prints it.
    public var defaultText: String {
        switch defaultValue {
        case .value(.string(let s)): s
        case .value(.int(let i)): String(i)
        case .value(.double(let d)): d.description
        case .value(.bool(let b)): b ? "true" : "false"
        case .value(let v): "\(v)"
        case .derived(let rule): rule
        }
    }

    /// Integer default; traps when the default is not an integer (a programming error in the builder).
    public var int: Int {
        guard case .int(let i)? = value else { preconditionFailure("\(name): default is not an integer") }
        return i
    }

    public var double: Double {
        switch value {
        case .double(let d)?: return d
        case .int(let i)?: return Double(i)
        default: preconditionFailure("\(name): default is not a number")
        }
    }

    public var bool: Bool {
        guard case .bool(let b)? = value else { preconditionFailure("\(name): default is not a boolean") }
        return b
    }

    public var string: String {
        guard case .string(let s)? = value else { preconditionFailure("\(name): default is not a string") }
        return s
    }
}
