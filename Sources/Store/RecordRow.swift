import Config
public import Sweep
import Foundation

/// A record flattened into CSV cells: `id`, `status`, every spec field under its dotted JSON path
/// (`training.optimizer.lr`, `target.options.depth`), record fields (`wall_seconds`, `worker.host`, `guide_cache.used`), and
/// every final metric under its own name (`val_accuracy`; `metric.NAME` if the name is already taken).
public struct RecordRow: Sendable {
    /// Non-metric cells (column, text) in the order they were derived; a column named twice keeps its last text.
    let fieldCells: [(column: String, text: String)]
    /// Metric cells (column, text), in the metrics' order.
    let metricCells: [(column: String, text: String)]

    /// Non-metric cells by column name.
    public var fields: [String: String] { Dictionary(fieldCells, uniquingKeysWith: { $1 }) }
    /// Metric cells by column name.
    public var metrics: [String: String] { Dictionary(metricCells, uniquingKeysWith: { $1 }) }

    /// Every cell in order, non-metric first (a column named twice: the last one counts).
    var cells: [(column: String, text: String)] { fieldCells + metricCells }

    public init(_ record: JobRecord) {
        // The spec's JSON as a tree (`ConfigValue(json:)` reads it as `JSONDecoder` would, several times faster).
        let json = try? JSONCoding.makeEncoder().encode(record.spec)
        self.init(record, spec: json.flatMap { ConfigValue(json: $0) })
    }

    /// A row whose spec cells come from `spec`, the record's spec as a JSON tree (as `ConfigValue(json:)` reads
    /// the spec encoded with `JSONCoding`'s encoder); nil leaves them out. The store passes the tree read from
    /// the spec's JSON it wrote in the record's results.jsonl line, so that a busy coordinator does not encode
    /// each spec twice.
    init(_ record: JobRecord, spec tree: ConfigValue?) {
        self.init(record, addingSpecCells: { fields in
            if let tree { Self.flatten(tree, prefix: "", into: &fields) }
        })
    }

    /// A row with the spec cells `cells` (`SpecCells`: read from the spec's JSON, in the order it lists them, so that
    /// a sweep's rows have one shape); nil leaves them out.
    init(_ record: JobRecord, specCells cells: [(column: String, text: String)]?) {
        self.init(record, addingSpecCells: { fields in
            if let cells { fields += cells }
        })
    }

    private init(_ record: JobRecord, addingSpecCells specCells: (inout [(column: String, text: String)]) -> Void) {
        var fields: [(column: String, text: String)] = [("id", record.id.rawValue), ("status", record.status.state)]
        fields.reserveCapacity(64)
        switch record.status {
        case .ok: break
        case .diverged(let step, let loss):
            fields.append(("status.step", String(step)))
            fields.append(("status.last_finite_loss", Self.text(loss)))
        case .failed(let error, let retryable):
            fields.append(("status.error", error))
            fields.append(("status.retryable", String(retryable)))
        }
        specCells(&fields)
        fields.append(("wall_seconds", Self.text(record.wallSeconds)))
        fields.append(("steps_per_second", Self.text(record.stepsPerSecond)))
        fields.append(("worker.id", record.worker.id))
        fields.append(("worker.host", record.worker.host))
        fields.append(("versions.package", record.versions.package))
        fields.append(("versions.libtorch", record.versions.libtorch))
        fields.append(("versions.protocol", String(record.versions.protocol)))
        fields.append(("device", record.device))
        fields.append(("started_at", record.startedAt.description))
        fields.append(("finished_at", record.finishedAt.description))
        if let artifact = record.artifact { fields.append(("artifact", artifact)) }
        if !record.mapping.isEmpty {
            fields.append(("mapping", record.mapping.map { "\($0.guide)->\($0.target)" }.joined(separator: ";")))
        }
        if let cache = record.guideCache { Self.addGuideCache(cache, to: &fields) }
        var metrics: [(column: String, text: String)] = []
        metrics.reserveCapacity(record.metrics.count)
        for (name, value) in record.metrics {
            let taken = fields.contains { $0.column == name }
            metrics.append((taken ? "metric." + name : name, Self.text(value)))
        }
        fieldCells = fields
        metricCells = metrics
    }

    /// The guide cache's use (issue 13) under `guide_cache.`: `used`, `reason` (bypassed), `shared` (a hit in the
    /// worker's caches), `bytes`, `examples`, `build_seconds`, and `taps`, each used guide tap's form as
    /// `tap=form` joined by `;` in tap order ("head.pool=activations;layers.0.conv=gram").
    private static func addGuideCache(_ cache: GuideCacheUse, to fields: inout [(column: String, text: String)]) {
        fields.append(("guide_cache.used", String(cache.used)))
        if let reason = cache.reason { fields.append(("guide_cache.reason", reason)) }
        guard cache.used else { return }
        fields.append(("guide_cache.shared", String(cache.shared)))
        fields.append(("guide_cache.bytes", String(cache.bytes)))
        fields.append(("guide_cache.examples", String(cache.examples)))
        fields.append(("guide_cache.build_seconds", text(cache.buildSeconds)))
        fields.append(("guide_cache.taps", cache.taps.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")))
    }

    /// Numbers print in Swift's shortest round-trip form; non-finite as nan/inf/-inf (pandas reads them).
    static func text(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value.description
    }

    static func flatten(_ value: ConfigValue, prefix: String, into cells: inout [(column: String, text: String)]) {
        switch value {
        case .object(let members):
            for (key, member) in members { flatten(member, prefix: prefix.isEmpty ? key : prefix + "." + key, into: &cells) }
        case .null: cells.append((prefix, ""))
        case .bool(let flag): cells.append((prefix, String(flag)))
        case .int(let int): cells.append((prefix, String(int)))
        case .double(let double): cells.append((prefix, text(double)))
        case .string(let string): cells.append((prefix, string))
        case .array: cells.append((prefix, CanonicalJSON.string(value)))
        }
    }
}

/// The column order of results.csv: identity and the comparison axes first, other fields sorted, metrics last.
/// Remembers the last row's columns in order and where each header column is in it, so that rows of the same
/// shape (a sweep's records, one after another) are placed without hashing a column name.
struct CSVColumns {
    static let leading = [
        "id", "status", "condition", "guide_state", "seed", "task.name", "target.label", "target.family",
        "guide.label", "guide.family",
    ]

    private(set) var fields: Set<String> = []
    private(set) var metrics: Set<String> = []
    /// The columns of the last row placed (in its order), and for each header column its cell's index in such a row
    /// (nil: empty); valid for `shapeHeader`.
    private var shape: [String] = []
    private var shapeIndex: [Int?] = []
    private var shapeHeader: [String] = []

    /// Adds the row's columns; returns whether any was new.
    mutating func absorb(_ row: RecordRow) -> Bool {
        let cells = row.cells
        if cells.count == shape.count, zip(cells, shape).allSatisfy({ $0.column == $1 }) { return false }  // all known
        let before = fields.count + metrics.count
        fields.formUnion(row.fieldCells.lazy.map(\.column))
        metrics.formUnion(row.metricCells.lazy.map(\.column))
        return fields.count + metrics.count != before
    }

    var header: [String] {
        let first = Self.leading.filter(fields.contains)
        let rest = fields.subtracting(first).sorted()
        return first + rest + metrics.sorted()
    }

    /// The row's cells in `header`'s order ("" where it has none).
    mutating func cells(_ row: RecordRow, header: [String]) -> [String] {
        let cells = row.cells
        if header != shapeHeader || cells.count != shape.count || !zip(cells, shape).allSatisfy({ $0.column == $1 }) {
            // As `fields[column] ?? metrics[column]`: a field before a metric, the last of a twice-named column.
            var position: [String: Int] = [:]
            for (index, cell) in cells.enumerated().dropFirst(row.fieldCells.count) { position[cell.column] = index }
            for (index, cell) in cells.enumerated().prefix(row.fieldCells.count) { position[cell.column] = index }
            shape = cells.map(\.column)
            shapeIndex = header.map { position[$0] }
            shapeHeader = header
        }
        return shapeIndex.map { $0.map { cells[$0].text } ?? "" }
    }
}
