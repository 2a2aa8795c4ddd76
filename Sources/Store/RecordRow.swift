import Config
public import Sweep
import Foundation

/// A record flattened into CSV cells: `id`, `status`, every spec field under its dotted JSON path
/// (`training.optimizer.lr`, `target.options.depth`), record fields (`wall_seconds`, `worker.host`, `guide_cache.used`), and
/// every final metric under its own name (`val_accuracy`; `metric.NAME` if the name is already taken).
public struct RecordRow: Sendable {
    /// Non-metric cells by column name.
    public var fields: [String: String]
    /// Metric cells by column name.
    public var metrics: [String: String]

    public init(_ record: JobRecord) {
        // The spec's JSON as a tree (`ConfigValue(json:)` reads it as `JSONDecoder` would, several times faster).
        let json = try? JSONCoding.makeEncoder().encode(record.spec)
        self.init(record, spec: json.flatMap { ConfigValue(json: $0) })
    }

    /// A row whose spec cells come from `spec`, the record's spec as a JSON tree (as `ConfigValue(json:)` reads
    /// the spec encoded with `JSONCoding`'s encoder); nil leaves them out. The store passes the tree read from
    /// the record's results.jsonl line, so that a busy coordinator does not encode each spec twice.
    init(_ record: JobRecord, spec tree: ConfigValue?) {
        var fields: [String: String] = ["id": record.id.rawValue, "status": record.status.state]
        switch record.status {
        case .ok: break
        case .diverged(let step, let loss):
            fields["status.step"] = String(step)
            fields["status.last_finite_loss"] = Self.text(loss)
        case .failed(let error, let retryable):
            fields["status.error"] = error
            fields["status.retryable"] = String(retryable)
        }
        if let tree { Self.flatten(tree, prefix: "", into: &fields) }
        fields["wall_seconds"] = Self.text(record.wallSeconds)
        fields["steps_per_second"] = Self.text(record.stepsPerSecond)
        fields["worker.id"] = record.worker.id
        fields["worker.host"] = record.worker.host
        fields["versions.package"] = record.versions.package
        fields["versions.libtorch"] = record.versions.libtorch
        fields["versions.protocol"] = String(record.versions.protocol)
        fields["device"] = record.device
        fields["started_at"] = record.startedAt.description
        fields["finished_at"] = record.finishedAt.description
        if let artifact = record.artifact { fields["artifact"] = artifact }
        if !record.mapping.isEmpty {
            fields["mapping"] = record.mapping.map { "\($0.guide)->\($0.target)" }.joined(separator: ";")
        }
        if let cache = record.guideCache { Self.addGuideCache(cache, to: &fields) }
        var metrics: [String: String] = [:]
        for (name, value) in record.metrics {
            metrics[fields[name] == nil ? name : "metric." + name] = Self.text(value)
        }
        self.fields = fields
        self.metrics = metrics
    }

    /// The guide cache's use (issue 13) under `guide_cache.`: `used`, `reason` (bypassed), `shared` (a hit in the
    /// worker's caches), `bytes`, `examples`, `build_seconds`, and `taps`, each used guide tap's form as
    /// `tap=form` joined by `;` in tap order ("head.pool=activations;layers.0.conv=gram").
    private static func addGuideCache(_ cache: GuideCacheUse, to fields: inout [String: String]) {
        fields["guide_cache.used"] = String(cache.used)
        if let reason = cache.reason { fields["guide_cache.reason"] = reason }
        guard cache.used else { return }
        fields["guide_cache.shared"] = String(cache.shared)
        fields["guide_cache.bytes"] = String(cache.bytes)
        fields["guide_cache.examples"] = String(cache.examples)
        fields["guide_cache.build_seconds"] = text(cache.buildSeconds)
        fields["guide_cache.taps"] = cache.taps.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
    }

    /// Numbers print in Swift's shortest round-trip form; non-finite as nan/inf/-inf (pandas reads them).
    static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value.description
    }

    private static func flatten(_ value: ConfigValue, prefix: String, into cells: inout [String: String]) {
        switch value {
        case .object(let members):
            for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &cells) }
        case .null: cells[prefix] = ""
        case .bool(let flag): cells[prefix] = String(flag)
        case .int(let int): cells[prefix] = String(int)
        case .double(let double): cells[prefix] = text(double)
        case .string(let string): cells[prefix] = string
        case .array: cells[prefix] = CanonicalJSON.string(value)
        }
    }
}

/// The column order of results.csv: identity and the comparison axes first, other fields sorted, metrics last.
struct CSVColumns {
    static let leading = [
        "id", "status", "condition", "guide_state", "seed", "task.name", "target.label", "target.family",
        "guide.label", "guide.family",
    ]

    private(set) var fields: Set<String> = []
    private(set) var metrics: Set<String> = []

    /// Adds the row's columns; returns whether any was new.
    mutating func absorb(_ row: RecordRow) -> Bool {
        let before = fields.count + metrics.count
        fields.formUnion(row.fields.keys)
        metrics.formUnion(row.metrics.keys)
        return fields.count + metrics.count != before
    }

    var header: [String] {
        let first = Self.leading.filter(fields.contains)
        let rest = fields.subtracting(first).sorted()
        return first + rest + metrics.sorted()
    }

    func cells(_ row: RecordRow, header: [String]) -> [String] {
        header.map { row.fields[$0] ?? row.metrics[$0] ?? "" }
    }
}
