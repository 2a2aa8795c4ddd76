import Foundation
import Store
import Sweep
import XCTest

/// `record(contentsOf:)`: a coordinator's loop turn of records written with one fsync.
final class ResultStoreBatchTests: XCTestCase {
    func testBatchSkipsJobsAlreadyRecordedAndRepeatsWithinTheBatch() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        try store.record(record(for: p.jobs[0]))
        let skipped = try store.record(contentsOf: [
            record(for: p.jobs[1]), record(for: p.jobs[0]), record(for: p.jobs[2], metrics: ["val_accuracy": 0.1]),
            record(for: p.jobs[2], metrics: ["val_accuracy": 0.9]),
        ])
        XCTAssertEqual(skipped, [p.jobs[0].id, p.jobs[2].id])
        let stored = try store.records()
        XCTAssertEqual(stored.map(\.id), [p.jobs[0].id, p.jobs[1].id, p.jobs[2].id])
        XCTAssertEqual(stored.last?.metrics["val_accuracy"], 0.1, "the first record of a job wins")
        let csv = parseCSV(try String(contentsOf: store.csvURL, encoding: .utf8))
        XCTAssertEqual(csv.count, 4, "header and one row per stored record")
        let reopened = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(Set(reopened.completed.keys), Set(p.jobs[0...2].map(\.id)))
    }

    func testBatchThatAddsColumnsRewritesTheCSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        try store.record(contentsOf: [record(for: p.jobs[0]), record(for: p.jobs[1], metrics: ["test_loss": 2])])
        let csv = parseCSV(try String(contentsOf: store.csvURL, encoding: .utf8))
        let header = try XCTUnwrap(csv.first)
        XCTAssertTrue(header.contains("test_loss") && header.contains("val_accuracy"))
        XCTAssertEqual(csv.count, 3)
        XCTAssertTrue(csv.dropFirst().allSatisfy { $0.count == header.count })
    }
}
