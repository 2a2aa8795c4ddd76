import Foundation
public import Sweep

/// Guide caches shared by the jobs of one process (a worker's slots, one after another or at once), within a memory
/// budget, least recently used first out (issue 13).
///
/// A cache is found again only under the same `Key`: guide family and options, guide state (an untrained guide's
/// initialisation seed, or the SHA-256 of a trained guide's checkpoint file, read again for every job so a file
/// changed on disk is never served stale), task spec and the SHA-256 of its training inputs, device, measure and
/// the plan (taps and forms). Jobs with different keys build their own. Thread-safe.
public final class GuideCacheStore: @unchecked Sendable {
    /// What identifies a cache's contents.
    public struct Key: Hashable, Sendable {
        public var guide: String
        public var guideState: String
        public var task: String
        public var device: String
        public var measure: String
        public var plan: GuideCache.Plan

        /// Whether a cache under this key holds everything a job planning `other` needs: same guide, state, task,
        /// device and measure, and every tap of `other`'s plan in the same form.
        func serves(_ other: Key) -> Bool {
            guide == other.guide && guideState == other.guideState && task == other.task && device == other.device
                && measure == other.measure && plan.examples == other.plan.examples
                && other.plan.taps.allSatisfy { plan.taps[$0.key] == $0.value }
        }
    }

    /// Counters and size, for the worker's log and `guidance status`.
    public typealias Statistics = GuideCacheStatistics

    /// Memory the caches may hold together.
    public let budgetBytes: Int
    private let lock = NSLock()
    private var entries: [Key: (cache: GuideCache, lastUse: UInt64)] = [:]
    private var clock: UInt64 = 0
    private var statistics = Statistics()

    public init(budgetBytes: Int = GuideCacheStore.defaultBudgetBytes) {
        self.budgetBytes = Swift.max(budgetBytes, 0)
        statistics.budgetBytes = self.budgetBytes
    }

    /// A quarter of the machine's physical memory.
    public static var defaultBudgetBytes: Int { Int(ProcessInfo.processInfo.physicalMemory / 4) }

    public var current: Statistics {
        lock.lock()
        defer { lock.unlock() }
        return statistics
    }

    /// The cache under `key`, built by `build` when absent (outside the lock: two slots may build the same key at
    /// once; the second insert replaces the first). A cache larger than the whole budget is used by its job and
    /// not kept. Returns whether it was a hit.
    public func cache(for key: Key, build: () throws -> GuideCache) throws -> (cache: GuideCache, hit: Bool) {
        lock.lock()
        clock += 1
        // The same key, or a cache of the same guide and data holding every planned tap in its planned form (a
        // target with fewer taps maps onto fewer guide taps).
        if let found = entries[key].map({ (key, $0) }) ?? entries.first(where: { $0.key.serves(key) }).map({ ($0.key, $0.value) }) {
            entries[found.0] = (found.1.cache, clock)
            statistics.hits += 1
            lock.unlock()
            return (found.1.cache, true)
        }
        statistics.misses += 1
        lock.unlock()

        let cache = try build()

        lock.lock()
        defer { lock.unlock() }
        let size = cache.plan.bytes
        guard size <= budgetBytes else { return (cache, false) }
        entries[key] = nil
        while entries.values.reduce(0, { $0 + $1.cache.plan.bytes }) + size > budgetBytes,
              let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
            statistics.evictions += 1
        }
        clock += 1
        entries[key] = (cache, clock)
        statistics.entries = entries.count
        statistics.bytes = entries.values.reduce(0) { $0 + $1.cache.plan.bytes }
        return (cache, false)
    }
}
