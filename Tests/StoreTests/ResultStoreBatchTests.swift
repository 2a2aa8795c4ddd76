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

    /// Records written with their specs' JSON encoded beforehand (the coordinator's path) read back as the same
    /// records, and give the same results.csv, as records written whole.
    func testRecordsWithPreEncodedSpecsMatchRecordsWrittenWhole() throws {
        let p = try plan(smallManifest)
        let records = [record(for: p.jobs[0]), record(for: p.jobs[1], status: .diverged(step: 3, lastFiniteLoss: 0.5)),
                       record(for: p.jobs[2], metrics: ["val_accuracy": 0.25, "test_loss": .nan])]
        let encoder = JSONCoding.makeEncoder()
        var specJSON: [JobID: Data] = [:]
        for r in records.prefix(2) { specJSON[r.id] = try encoder.encode(r.spec) }  // the third one written whole
        var outputs: [(records: [JobRecord], appendedCSV: String, csv: String)] = []
        for specs in [[:], specJSON] {
            let dir = try temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
            try store.record(contentsOf: [records[2]], specJSON: specs)
            try store.record(contentsOf: [records[0]], specJSON: specs)  // no new column: its row is appended
            let appended = try String(contentsOf: store.csvURL, encoding: .utf8)
            try store.record(contentsOf: [records[1]], specJSON: specs)
            outputs.append((try store.records(), appended, try String(contentsOf: store.csvURL, encoding: .utf8)))
            let reopened = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
            XCTAssertEqual(try String(contentsOf: reopened.csvURL, encoding: .utf8), outputs.last?.csv, "rebuilt CSV")
        }
        let order = [records[2], records[0], records[1]]
        XCTAssertEqual(outputs[1].records.map(\.id), order.map(\.id))
        XCTAssertEqual(outputs[1].records.map(\.spec), order.map(\.spec))
        XCTAssertEqual(outputs[1].records.map(\.status), order.map(\.status))
        XCTAssertEqual(outputs[1].appendedCSV, outputs[0].appendedCSV)
        XCTAssertEqual(parseCSV(outputs[1].appendedCSV).count, 3)
        XCTAssertEqual(outputs[1].csv, outputs[0].csv)
        XCTAssertEqual(parseCSV(outputs[1].csv).count, 4)
    }
}
