import Foundation

/// A process's guide caches (issue 13) at one moment: lookups so far and what is kept against the budget. Kept by
/// `GuideCacheStore`, written to the worker's log after every job, carried by the worker's READY and HEARTBEAT and
/// by STATUS_REPLY, and shown by `guidance status`. JSON keys in snake_case; absent from older peers' messages.
public struct GuideCacheStatistics: Codable, Hashable, Sendable {
    /// Jobs served from a kept cache.
    public var hits = 0
    /// Jobs that had to build theirs.
    public var misses = 0
    /// Caches dropped, least recently used first, to make room.
    public var evictions = 0
    /// Caches kept now.
    public var entries = 0
    /// Bytes the kept caches hold.
    public var bytes = 0
    /// Bytes they may hold together (0: caching is off).
    public var budgetBytes = 0

    public init(hits: Int = 0, misses: Int = 0, evictions: Int = 0, entries: Int = 0, bytes: Int = 0, budgetBytes: Int = 0) {
        self.hits = hits
        self.misses = misses
        self.evictions = evictions
        self.entries = entries
        self.bytes = bytes
        self.budgetBytes = budgetBytes
    }

    enum CodingKeys: String, CodingKey {
        case hits, misses, evictions, entries, bytes, budgetBytes = "budget_bytes"
    }

    /// hits / (hits + misses); nil before the first lookup.
    public var hitRate: Double? { hits + misses > 0 ? Double(hits) / Double(hits + misses) : nil }

    /// Whether any job looked a cache up (a worker that ran only unguided or test jobs has nothing to show).
    public var wasUsed: Bool { hits + misses > 0 }

    /// One line: "guide cache: 3 hits, 1 miss (75%), 2 entries, 120.4 MiB of 2048.0 MiB, 0 evictions".
    public var summary: String {
        let rate = hitRate.map { String(format: " (%.0f%%)", $0 * 100) } ?? ""
        return "guide cache: \(hits) hit\(hits == 1 ? "" : "s"), \(misses) miss\(misses == 1 ? "" : "es")\(rate), "
            + "\(entries) entr\(entries == 1 ? "y" : "ies"), \(Self.mebibytes(bytes)) of \(Self.mebibytes(budgetBytes)), "
            + "\(evictions) eviction\(evictions == 1 ? "" : "s")"
    }

    /// The sum of several processes' counters, sizes and budgets.
    public static func total(_ parts: [GuideCacheStatistics]) -> GuideCacheStatistics {
        parts.reduce(into: GuideCacheStatistics()) { sum, part in
            sum.hits += part.hits
            sum.misses += part.misses
            sum.evictions += part.evictions
            sum.entries += part.entries
            sum.bytes += part.bytes
            sum.budgetBytes += part.budgetBytes
        }
    }

    /// "198.0 MiB".
    public static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
