import Config
import Yams

/// One configurable field of a settings type: key, documentation, default, and how it is read, written and checked.
/// Made with the typed factories below (`int`, `double`, `choice`, `nested`, ...), never by hand. A class: a spec's
/// canonical form walks its schema's knobs for every job a coordinator dispatches, and a struct of a dozen closures
/// would be retained and released closure by closure at each step of that walk.
public final class Knob<Root: SchemaDescribed>: Sendable {
    /// Which specs write a knob into their canonical form (and so into their job id).
    public enum Written: Sendable {
        /// Every spec, whatever its value (nil values are left out): the knobs in ids since the first schema.
        case always
        /// Only specs whose value differs from the default. A knob added later keeps every earlier id, because
        /// its default is the behaviour before it existed. The default for new knobs.
        case unlessDefault
        /// Only specs whose value differs from this one (as the listing writes it): for a knob whose default changed
        /// after it was added. Keep the old default here, so that jobs that leave the knob out, which now compute
        /// with the new default, get new ids, and jobs that wrote the old value keep theirs. (A golden test pins
        /// these values: `SpecDefaults.identity`.)
        case unless(String)
    }

    /// The manifest, JSON and command-line key (snake_case).
    public let key: String
    public let help: String
    /// What values it takes, for listings and errors.
    public let kind: String
    public let defaultText: String
    let written: Written
    let isDefault: @Sendable (Root) -> Bool
    let isNil: @Sendable (Root) -> Bool
    /// The value as the listing writes it.
    let valueText: @Sendable (Root) -> String
    /// Reads the manifest node (a value or a list of values: a grid axis) into an axis of setters; reports problems.
    let read: @Sendable (ManifestReader, Node, String, inout Grid<Root>) -> Void
    let decode: @Sendable (KeyedDecodingContainer<SchemaKey>, inout Root) throws -> Void
    let encode: @Sendable (Root, inout KeyedEncodingContainer<SchemaKey>) throws -> Void
    let writeValue: @Sendable (Root, inout CanonicalJSON.Writer) -> Void
    /// Sets the value (or a nested knob's, by the rest of the path) from command-line text.
    let assign: @Sendable (String, String, inout Root, String) throws -> Void
    /// A nested knob's own entries under the given key; empty for a plain value.
    let children: @Sendable (String) -> [SettingEntry]

    init(key: String, help: String, kind: String, defaultText: String, written: Written,
         isDefault: @escaping @Sendable (Root) -> Bool, isNil: @escaping @Sendable (Root) -> Bool,
         valueText: @escaping @Sendable (Root) -> String,
         read: @escaping @Sendable (ManifestReader, Node, String, inout Grid<Root>) -> Void,
         decode: @escaping @Sendable (KeyedDecodingContainer<SchemaKey>, inout Root) throws -> Void,
         encode: @escaping @Sendable (Root, inout KeyedEncodingContainer<SchemaKey>) throws -> Void,
         writeValue: @escaping @Sendable (Root, inout CanonicalJSON.Writer) -> Void,
         assign: @escaping @Sendable (String, String, inout Root, String) throws -> Void,
         children: @escaping @Sendable (String) -> [SettingEntry]) {
        self.key = key
        self.help = help
        self.kind = kind
        self.defaultText = defaultText
        self.written = written
        self.isDefault = isDefault
        self.isNil = isNil
        self.valueText = valueText
        self.read = read
        self.decode = decode
        self.encode = encode
        self.writeValue = writeValue
        self.assign = assign
        self.children = children
    }

    func isWritten(_ root: Root) -> Bool {
        switch written {
        case .always: return !isNil(root)
        case .unlessDefault: return !isDefault(root)
        case .unless(let identity): return valueText(root) != identity
        }
    }

    /// The value that leaves it out of ids (nil for a knob written always): what `SpecDefaults.identity` pins.
    var identityText: String? {
        switch written {
        case .always: return nil
        case .unlessDefault: return defaultText
        case .unless(let identity): return identity
        }
    }
}

// MARK: - Factories

extension Knob {
    /// The knob of a plain value at `path`: `readOne` reads one manifest value (reporting problems), `write` writes
    /// it canonically, `text` renders it for listings; `didSet` runs after every assignment (an optimizer name
    /// resetting the weight-decay default).
    static func value<V: Codable & Hashable & Sendable>(
        _ key: String, _ path: SettingPath<Root, V>, kind: String, written: Written, help: String,
        readAxis: @escaping @Sendable (ManifestReader, Node, String) -> [V]?,
        write: @escaping @Sendable (V, inout CanonicalJSON.Writer) -> Void,
        text: @escaping @Sendable (V) -> String,
        isNil: @escaping @Sendable (V) -> Bool = { _ in false },
        didSet: (@Sendable (inout Root) -> Void)? = nil,
        settingsUnder: NestedSettings? = nil
    ) -> Knob {
        let defaultValue = Root()[keyPath: path]
        let set: @Sendable (inout Root, V) -> Void = { root, value in
            root[keyPath: path] = value
            didSet?(&root)
        }
        let children: @Sendable (String) -> [SettingEntry]
        if let settingsUnder { children = settingsUnder.entries } else { children = { _ in [] } }
        return Knob(
            key: key, help: help, kind: kind, defaultText: text(defaultValue), written: written,
            isDefault: { $0[keyPath: path] == defaultValue },
            isNil: { isNil($0[keyPath: path]) },
            valueText: { text($0[keyPath: path]) },
            read: { reader, node, nodePath, grid in grid.add(readAxis(reader, node, nodePath), set) },
            decode: { container, root in
                if let value = try container.decodeIfPresent(V.self, forKey: SchemaKey(key)) { set(&root, value) }
            },
            encode: { root, container in try container.encode(root[keyPath: path], forKey: SchemaKey(key)) },
            writeValue: { root, writer in write(root[keyPath: path], &writer) },
            assign: { rest, input, root, origin in
                if !rest.isEmpty, let settingsUnder { return try settingsUnder.assign(rest, input, &root, origin) }
                guard rest.isEmpty else {
                    throw SettingError(origin: origin, message: "\"\(key)\" has no settings under it (found \(key).\(rest))")
                }
                let reader = ManifestReader(file: origin)
                let node: Node
                do {
                    node = try Yams.compose(yaml: input) ?? Node("", Tag(.null))
                } catch {
                    throw SettingError(origin: origin, message: "cannot read \"\(input)\" as a value", hint: "expected \(kind)")
                }
                let values = readAxis(reader, node, key)
                if let issue = reader.issues.first { throw SettingError(origin: origin, message: issue.message, hint: issue.hint) }
                guard let values, values.count == 1 else {
                    throw SettingError(origin: origin, message: "expected one value, found \(values?.count ?? 0)",
                                       hint: "a list makes a grid axis, which only a sweep manifest can have")
                }
                set(&root, values[0])
            },
            children: children)
    }

    /// The knobs under a nested knob (`optimizer.lr`): set by the rest of a dotted path, listed under its key.
    struct NestedSettings: Sendable {
        let assign: @Sendable (String, String, inout Root, String) throws -> Void
        let entries: @Sendable (String) -> [SettingEntry]
    }

    /// An integer ≥ `min`.
    public static func int(_ key: String, _ path: SettingPath<Root, Int>, min: Int,
                           written: Written = .unlessDefault, help: String) -> Knob {
        value(key, path, kind: "integer ≥ \(min)", written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.int($0, $1, min: min) } },
              write: { $1.int($0) }, text: { String($0) })
    }

    /// An optional knob's default is nil (null then means "the default" in JSON, manifests and ids alike; a non-nil
    /// default would make null and the default indistinguishable once decoded).
    private static func requireNilDefault<V>(_ key: String, _ path: SettingPath<Root, V?>) {
        precondition(Root()[keyPath: path] == nil, "knob \(key): an optional knob's default must be nil")
    }

    /// An integer ≥ `min`, or null (nil: the behaviour `help` describes).
    public static func int(_ key: String, _ path: SettingPath<Root, Int?>, min: Int,
                           written: Written = .unlessDefault, help: String) -> Knob {
        requireNilDefault(key, path)
        return value(key, path, kind: "integer ≥ \(min) or null", written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.optional($0, $1) { r.int($0, $1, min: min) } } },
              write: { value, w in if let value { w.int(value) } else { w.null() } },
              text: { $0.map(String.init) ?? "null" }, isNil: { $0 == nil })
    }

    /// A finite number within `bounds`.
    public static func double(_ key: String, _ path: SettingPath<Root, Double>, _ bounds: NumberBounds,
                              written: Written = .unlessDefault, help: String) -> Knob {
        value(key, path, kind: bounds.kind, written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { bounds.read(r, $0, $1) } },
              write: { $1.double($0) }, text: { CanonicalJSON.string(ConfigValue.double($0)) })
    }

    /// A finite number within `bounds`, or null.
    public static func double(_ key: String, _ path: SettingPath<Root, Double?>, _ bounds: NumberBounds,
                              written: Written = .unlessDefault, help: String) -> Knob {
        requireNilDefault(key, path)
        return value(key, path, kind: bounds.kind + " or null", written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.optional($0, $1) { bounds.read(r, $0, $1) } } },
              write: { value, w in if let value { w.double(value) } else { w.null() } },
              text: { $0.map { CanonicalJSON.string(ConfigValue.double($0)) } ?? "null" }, isNil: { $0 == nil })
    }

    public static func bool(_ key: String, _ path: SettingPath<Root, Bool>,
                            written: Written = .unlessDefault, help: String) -> Knob {
        value(key, path, kind: "true | false", written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.bool($0, $1) } }, write: { $1.bool($0) }, text: { String($0) })
    }

    /// A non-empty string.
    public static func string(_ key: String, _ path: SettingPath<Root, String>,
                              written: Written = .unlessDefault, help: String) -> Knob {
        value(key, path, kind: "text", written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.string($0, $1) } }, write: { $1.string($0) }, text: { $0 })
    }

    /// One of an enum's raw values (`what` names it in errors: "unknown optimizer \"adan\"").
    public static func choice<E: RawRepresentable & CaseIterable & Codable & Hashable & Sendable>(
        _ key: String, _ path: SettingPath<Root, E>, what: String, written: Written = .unlessDefault,
        help: String, didSet: (@Sendable (inout Root) -> Void)? = nil
    ) -> Knob where E.RawValue == String {
        value(key, path, kind: E.allCases.map(\.rawValue).joined(separator: " | "), written: written, help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.choice($0, $1, E.self, what: what) } },
              write: { $1.string($0.rawValue) }, text: { $0.rawValue }, didSet: didSet)
    }

    /// One of an enum's raw values, or null.
    public static func choice<E: RawRepresentable & CaseIterable & Codable & Hashable & Sendable>(
        _ key: String, _ path: SettingPath<Root, E?>, what: String, written: Written = .unlessDefault,
        help: String
    ) -> Knob where E.RawValue == String {
        requireNilDefault(key, path)
        return value(key, path, kind: E.allCases.map(\.rawValue).joined(separator: " | ") + " or null", written: written,
              help: help,
              readAxis: { r, n, p in r.axis(n, p) { r.optional($0, $1) { r.choice($0, $1, E.self, what: what) } } },
              write: { value, w in if let value { w.string(value.rawValue) } else { w.null() } },
              text: { $0?.rawValue ?? "null" }, isNil: { $0 == nil })
    }

    /// A value with its own manifest reader (`readAxis` returns the axis's values, reporting problems) and canonical
    /// form; `kind` says what it takes.
    static func custom<V: Codable & Hashable & Sendable & CanonicalEncodable>(
        _ key: String, _ path: SettingPath<Root, V>, kind: String, written: Written = .unlessDefault,
        help: String, text: @escaping @Sendable (V) -> String,
        readAxis: @escaping @Sendable (ManifestReader, Node, String) -> [V]?
    ) -> Knob {
        value(key, path, kind: kind, written: written, help: help, readAxis: readAxis,
              write: { $0.writeCanonical(to: &$1) }, text: text)
    }

    /// Settings of their own (`optimizer: {name: sgd, lr: 0.1}`), or one value of `shorthand`, their key that a
    /// scalar sets (`optimizer: sgd`). In a manifest every nested knob may be an axis; on the command line each is
    /// set by its dotted path (`optimizer.lr=0.1`).
    public static func nested<S: SchemaDescribed & Codable & CanonicalEncodable>(
        _ key: String, _ path: SettingPath<Root, S>, shorthand: String, written: Written = .unlessDefault,
        help: String
    ) -> Knob {
        let defaultValue = Root()[keyPath: path]
        let readAxis: @Sendable (ManifestReader, Node, String) -> [S]? = { reader, node, nodePath in
            if case .mapping = node { return reader.expand(node, nodePath, S.self) }
            // The shorthand: a scalar or a list of them sets `shorthand` in default settings.
            var grid = Grid<S>()
            S.schema.knob(shorthand)!.read(reader, node, nodePath, &grid)
            return grid.failed ? nil : grid.expand(S())
        }
        return value(key, path, kind: "settings (or a \(shorthand))", written: written, help: help,
                     readAxis: readAxis, write: { $0.writeCanonical(to: &$1) },
                     text: { value in value == defaultValue ? "as below" : CanonicalJSON.string(value) },
                     settingsUnder: NestedSettings(
                        assign: { rest, input, root, origin in
                            try S.schema.assign(rest, text: input, to: &root[keyPath: path], origin: origin)
                        },
                        entries: { prefix in S.schema.entries(prefix: prefix) }))
    }
}

/// Where a knob's value lives in its settings type (a key path literal such as `\.steps`).
public typealias SettingPath<Root, Value> = any WritableKeyPath<Root, Value> & Sendable
