import Config

/// A settings type described by one schema: its fields, their defaults (the values `init()` gives), their
/// documentation, and how each is read from a manifest or the command line, decoded and encoded as JSON, and written
/// into the canonical form that job ids hash. Adding a knob is one edit: a stored property with its default and one
/// line in `schema` (`TrainingConfig`, `GuidanceConfig`, `OptimizerConfig`, `ScheduleConfig`).
public protocol SchemaDescribed: Hashable, Sendable {
    /// Every knob at its default.
    init()
    /// The knobs in reading order (a knob whose value resets another's default comes before it).
    static var schema: SpecSchema<Self> { get }
}

/// The knobs of one settings type.
public struct SpecSchema<Root: SchemaDescribed>: Sendable {
    /// In reading order.
    public let knobs: [Knob<Root>]
    /// The same knobs by key, sorted by their UTF-8 bytes (the canonical form's order).
    let canonicalOrder: [Knob<Root>]
    /// The canonical bytes last written, by value: a coordinator writes one spec per job it dispatches, and the jobs
    /// of a sweep share their settings, so the walk over the knobs (closures and key paths) runs once per distinct
    /// value in a row instead of once per job.
    private let lastWritten = LastValueMemo<Root>()

    public init(_ knobs: [Knob<Root>]) {
        precondition(Set(knobs.map(\.key)).count == knobs.count, "a schema names each key once")
        self.knobs = knobs
        canonicalOrder = knobs.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    /// The keys a manifest block may use, in reading order.
    public var keys: [String] { knobs.map(\.key) }

    public func knob(_ key: String) -> Knob<Root>? { knobs.first { $0.key == key } }

    // MARK: JSON

    /// Decodes the keys present; absent keys keep `init()`'s defaults, unknown keys are ignored.
    public func decode(from decoder: any Decoder) throws -> Root {
        let container = try decoder.container(keyedBy: SchemaKey.self)
        var root = Root()
        for knob in knobs { try knob.decode(container, &root) }
        return root
    }

    /// Encodes the keys the canonical form writes (the same keys and values, so a spec's JSON hashes as it decodes).
    public func encode(_ root: Root, to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SchemaKey.self)
        for knob in canonicalOrder where knob.isWritten(root) { try knob.encode(root, &container) }
    }

    /// The canonical object: keys sorted, each knob written by its `Knob.Written` rule.
    public func writeCanonical(_ root: Root, to writer: inout CanonicalJSON.Writer) {
        writer.raw(lastWritten.value(for: root) {
            var object = CanonicalJSON.Writer()
            object.beginObject()
            for knob in canonicalOrder where knob.isWritten(root) {
                object.key(knob.key)
                knob.writeValue(root, &object)
            }
            object.endObject()
            return object.bytes
        })
    }

    // MARK: Command line

    /// Sets the knob at `path` (`steps`, `optimizer.lr`) from command-line text, read as a YAML scalar exactly as a
    /// manifest's value is (the same checks and messages). `origin` names where the text came from in errors
    /// (`--set training.steps=0`, `--steps 0`). Throws `SettingError` naming the origin, the problem and what is allowed.
    public func assign(_ path: String, text: String, to root: inout Root, origin: String) throws {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        let (head, rest) = (parts.first ?? "", parts.dropFirst().first ?? "")
        guard let knob = knob(head) else {
            throw SettingError(origin: origin, message: "unknown setting \"\(head)\"",
                               hint: Suggestion.hint(for: head, in: keys) ?? "known: " + keys.joined(separator: ", "))
        }
        try knob.assign(rest, text, &root, origin)
    }

    // MARK: Listing

    /// One line per knob, nested knobs under their parent's key (`optimizer.lr`): what `guidance settings` prints.
    public func entries(prefix: String = "") -> [SettingEntry] {
        knobs.flatMap { knob -> [SettingEntry] in
            let key = prefix.isEmpty ? knob.key : prefix + "." + knob.key
            let children = knob.children(key)
            return [SettingEntry(key: key, kind: knob.kind, defaultText: knob.defaultText, help: knob.help,
                                 isGroup: !children.isEmpty, identityText: knob.identityText)] + children
        }
    }
}

/// A JSON key named at run time (a schema's knobs).
public struct SchemaKey: CodingKey {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ key: String) { stringValue = key }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
