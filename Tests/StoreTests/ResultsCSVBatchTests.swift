import Foundation
@testable import Store
import Sweep
import XCTest

/// results.csv written batch by batch (rows appended while their columns are known, the file rewritten when a row
/// brings new ones), with rows of different shapes interleaved, against a CSV rebuilt from the records alone by an
/// independent reader and `RecordRow(record)` (which encodes each spec with `JSONEncoder`).
final class ResultsCSVBatchTests: XCTestCase {
    func testRowsOfChangingShapesMatchARebuildFromTheRecords() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = smallManifest.replacingOccurrences(of: "seeds: [0, 1]", with: "seeds: [0, 1, 2, 3, 4, 5]")
        let planned = try plan(yaml)
        let store = try ResultStore.open(at: directory, manifestYAML: yaml, plan: planned)
        let jobs = planned.jobs
        XCTAssertGreaterThan(jobs.count, 12)
        var records: [JobRecord] = []
        for (index, job) in jobs.enumerated() {
            switch index % 5 {
            case 3: records.append(record(for: job, metrics: ["val_accuracy": 0.25, "extra, \"metric\"": .nan]))
            case 4 where index > 8: records.append(record(for: job, status: .failed(error: "boom,\r\n\"x\" ", retryable: false)))
            default: records.append(record(for: job, metrics: ["val_accuracy": Double(index)]))
            }
        }
        // Batches of 1, 2, 3, ... records: appends and rewrites alternate as new columns show up.
        var start = 0, size = 1
        while start < records.count {
            try store.record(contentsOf: Array(records[start..<min(start + size, records.count)]))
            start += size
            size += 1
        }
        let csv = try String(contentsOf: store.csvURL, encoding: .utf8)
        let parsed = parseCSV(csv)
        let header = try XCTUnwrap(parsed.first)
        let rows = records.map(RecordRow.init)
        var columns: Set<String> = []
        for row in rows { columns.formUnion(row.fields.keys); columns.formUnion(row.metrics.keys) }
        XCTAssertEqual(Set(header), columns)
        XCTAssertEqual(parsed.count - 1, rows.count)
        for (line, row) in zip(parsed.dropFirst(), rows) {
            XCTAssertEqual(line, header.map { row.fields[$0] ?? row.metrics[$0] ?? "" })
        }
    }
}
