import Foundation
import Sweep

/// A `JobRecord` encoded without its `spec` key (every other key as `JobRecord` writes it), so that the store can
/// splice in the spec's JSON encoded once by the coordinator (`ResultStore.record(contentsOf:specJSON:)`).
struct SpeclessRecord: Encodable {
    let record: JobRecord

    private enum Keys: String, CodingKey {
        case id, status, mapping, metrics, curves, wallSeconds = "wall_seconds"
        case stepsPerSecond = "steps_per_second", worker, versions, device, startedAt = "started_at"
        case finishedAt = "finished_at", predictions, artifact, environment, guideCache = "guide_cache"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(record.id, forKey: .id)
        try c.encode(record.status, forKey: .status)
        try c.encode(record.mapping, forKey: .mapping)
        try c.encode(record.metrics, forKey: .metrics)
        try c.encode(record.curves, forKey: .curves)
        try c.encode(record.wallSeconds, forKey: .wallSeconds)
        try c.encode(record.stepsPerSecond, forKey: .stepsPerSecond)
        try c.encode(record.worker, forKey: .worker)
        try c.encode(record.versions, forKey: .versions)
        try c.encode(record.device, forKey: .device)
        try c.encode(record.startedAt, forKey: .startedAt)
        try c.encode(record.finishedAt, forKey: .finishedAt)
        try c.encodeIfPresent(record.predictions, forKey: .predictions)
        try c.encodeIfPresent(record.artifact, forKey: .artifact)
        try c.encodeIfPresent(record.environment, forKey: .environment)
        try c.encodeIfPresent(record.guideCache, forKey: .guideCache)
    }

    /// The record's results.jsonl line (with its newline): this encoding with `"spec":` + `specJSON` added as the
    /// last member. Decodes to the same `JobRecord` as the whole record's encoding.
    static func line(_ record: JobRecord, specJSON: [UInt8], encoder: JSONEncoder) throws -> [UInt8] {
        var bytes = [UInt8](try encoder.encode(SpeclessRecord(record: record)))
        guard bytes.last == 0x7d else { return bytes }  // always an object; defensive
        bytes.removeLast()
        bytes.append(contentsOf: #","spec":"#.utf8)
        bytes.append(contentsOf: specJSON)
        bytes.append(contentsOf: [0x7d, 0x0a])
        return bytes
    }
}
