import Foundation
import Sweep
import XCTest

/// The guide cache's counters and one job's use of it, as the worker's log and `guidance status` show them and as
/// the wire and the record carry them.
final class GuideCacheStatisticsTests: XCTestCase {
    func testTheSummaryCountsRatesAndSizesInWords() {
        let statistics = GuideCacheStatistics(hits: 3, misses: 1, evictions: 2, entries: 1, bytes: 3 * 1_048_576 / 2,
                                              budgetBytes: 64 * 1_048_576)
        XCTAssertEqual(statistics.hitRate, 0.75)
        XCTAssertEqual(statistics.summary, "guide cache: 3 hits, 1 miss (75%), 1 entry, 1.5 MiB of 64.0 MiB, 2 evictions")
        let fresh = GuideCacheStatistics(budgetBytes: 1_048_576)
        XCTAssertNil(fresh.hitRate)
        XCTAssertFalse(fresh.wasUsed)
        XCTAssertEqual(fresh.summary, "guide cache: 0 hits, 0 misses, 0 entries, 0.0 MiB of 1.0 MiB, 0 evictions")
        XCTAssertTrue(GuideCacheStatistics(misses: 1).wasUsed)
    }

    func testTheTotalAddsEveryField() {
        let a = GuideCacheStatistics(hits: 1, misses: 2, evictions: 3, entries: 4, bytes: 5, budgetBytes: 6)
        let b = GuideCacheStatistics(hits: 10, misses: 20, evictions: 30, entries: 40, bytes: 50, budgetBytes: 60)
        XCTAssertEqual(GuideCacheStatistics.total([a, b]), GuideCacheStatistics(hits: 11, misses: 22, evictions: 33, entries: 44,
                                                                                bytes: 55, budgetBytes: 66))
        XCTAssertEqual(GuideCacheStatistics.total([]), GuideCacheStatistics())
    }

    func testJSONKeysAreSnakeCaseAndRoundTrip() throws {
        let statistics = GuideCacheStatistics(hits: 1, misses: 1, entries: 1, bytes: 10, budgetBytes: 20)
        let json = String(decoding: try JSONCoding.makeEncoder().encode(statistics), as: UTF8.self)
        XCTAssertEqual(json, #"{"budget_bytes":20,"bytes":10,"entries":1,"evictions":0,"hits":1,"misses":1}"#)
        XCTAssertEqual(try JSONCoding.makeDecoder().decode(GuideCacheStatistics.self, from: Data(json.utf8)), statistics)
    }

    func testAJobsUseSaysHitOrMissBytesAndEachTapsForm() {
        let built = GuideCacheUse(used: true, taps: ["layers.1.conv": "gram", "head.pool": "activations"], bytes: 2 * 1_048_576,
                                  examples: 300, shared: false, buildSeconds: 1.234)
        XCTAssertEqual(built.summary, "miss (built in 1.23 s), 2.0 MiB for 300 examples; taps head.pool activations, layers.1.conv gram")
        var shared = built
        shared.shared = true
        shared.buildSeconds = 0
        XCTAssertEqual(shared.summary, "hit (built by an earlier job), 2.0 MiB for 300 examples; taps head.pool activations, layers.1.conv gram")
        XCTAssertEqual(GuideCacheUse.bypassed("the guide runs in train mode").summary, "bypassed: the guide runs in train mode")
    }
}
