import Config

/// The CSV cells of specs (`training.optimizer.lr` → "0.001", ...), read from their JSON and remembered per top-level
/// member: a sweep's jobs share their task, models, training and guidance settings and differ in a few scalars (the
/// seed), so a busy store parses each distinct part once instead of every spec whole. The cells are those
/// `RecordRow.init(_:spec:)` makes from `ConfigValue(json:)`'s tree of the whole spec.
struct SpecCells {
    typealias Cells = [(column: String, text: String)]
    /// Cells by a member's key and value bytes (the key, a 0 byte, the value's JSON).
    private var known: [[UInt8]: Cells] = [:]
    /// Distinct parts remembered at most (then forgotten all at once): bounds memory on a sweep without shared parts.
    static let capacity = 4_096

    /// The cells of the spec whose JSON is `json`; nil when it is not a valid JSON object.
    mutating func cells(ofSpec json: [UInt8]) -> Cells? {
        guard let members = ConfigValue.members(json: json) else { return nil }
        var cells: Cells = []
        cells.reserveCapacity(64)
        for (key, range) in members {
            let value = json[range]
            guard value.first == UInt8(ascii: "{") else {  // a scalar or array: cheap, not remembered
                guard let leaf = ConfigValue(json: value) else { return nil }
                RecordRow.flatten(leaf, prefix: key, into: &cells)
                continue
            }
            var id = Array(key.utf8)
            id.append(0)
            id.append(contentsOf: value)
            if let part = known[id] {
                cells += part
                continue
            }
            var part: Cells = []
            guard ConfigValue.forEachLeaf(json: Array(value), { path, leaf in
                RecordRow.flatten(leaf, prefix: key + "." + path, into: &part)
            }) else { return nil }
            if known.count >= Self.capacity { known.removeAll(keepingCapacity: true) }
            known[id] = part
            cells += part
        }
        return cells
    }
}
