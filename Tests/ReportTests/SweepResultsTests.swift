import Foundation
import Report
import Sweep
import XCTest

final class SweepResultsTests: XCTestCase {
    func testLoadsRecordsAndManifest() throws {
        let dir = try demoSweepDirectory()
        let results = try SweepResults.load(directory: dir)
        XCTAssertEqual(results.records.count, try DemoSweep.plan().jobs.count)
        XCTAssertEqual(results.manifest?.name, "demo-guidability")
        XCTAssertEqual(results.manifestHash, ContentHash.sha256Hex(Data(DemoSweep.manifestYAML.utf8)))
        XCTAssertTrue(results.notes.isEmpty)
    }

    func testIncompleteLastLineIsSkippedAndLeftAlone() throws {
        let dir = try demoSweepDirectory(limit: 5)
        let url = dir.appendingPathComponent("results.jsonl")
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"id\": \"abc".utf8))  // a record being written
        try handle.close()
        let before = try Data(contentsOf: url)
        let results = try SweepResults.load(directory: dir)
        XCTAssertEqual(results.records.count, 5)
        XCTAssertEqual(results.notes.count, 1)
        XCTAssertEqual(try Data(contentsOf: url), before, "a report must not modify a running sweep's files")
    }

    func testBadInputsSayWhatIsThere() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        XCTAssertThrowsError(try SweepResults.load(directory: missing)) {
            XCTAssertEqual($0 as? ReportError, .notADirectory(path: missing.path))
        }
        let empty = try temporaryDirectory()
        XCTAssertThrowsError(try SweepResults.load(directory: empty)) { error in
            XCTAssertEqual(error as? ReportError, .notAResultsDirectory(path: empty.path, contents: []))
            XCTAssertTrue("\(error)".contains("it is empty"), "\(error)")
        }
        try Data().write(to: empty.appendingPathComponent("results.jsonl"))
        XCTAssertThrowsError(try SweepResults.load(directory: empty)) {
            XCTAssertEqual($0 as? ReportError, .noRecords(path: empty.path))
        }
        try Data("garbage\n{}\n".utf8).write(to: empty.appendingPathComponent("results.jsonl"))
        XCTAssertThrowsError(try SweepResults.load(directory: empty)) { error in
            guard case .corruptLine(_, let line, _)? = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 1)
        }
    }

    func testRecordsOfAnotherManifestAreRefused() throws {
        let dir = try demoSweepDirectory(limit: 3)
        let stranger = Fixtures.record(target: Fixtures.fcn, seed: 0, metrics: Fixtures.accuracy(0.5))
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent("results.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: JSONCoding.makeEncoder().encode(stranger) + Data("\n".utf8))
        try handle.close()
        XCTAssertThrowsError(try SweepResults.load(directory: dir)) { error in
            guard case .foreignRecords(let count, let manifest, let examples)? = error as? ReportError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(count, 1)
            XCTAssertTrue(manifest.contains("demo-guidability"))
            XCTAssertEqual(examples, ["\(stranger.id.short) \(stranger.spec.summary)"])
        }
        XCTAssertEqual(try SweepResults.load(directory: dir, checkManifest: false).records.count, 4)
    }

    func testAManifestMatchingNoRecordIsDroppedWithANote() throws {
        let dir = try temporaryDirectory()
        try DemoSweep.manifestYAML.write(to: dir.appendingPathComponent("manifest.yaml"), atomically: true, encoding: .utf8)
        let lines = try Fixtures.sweep.map { String(decoding: try JSONCoding.makeEncoder().encode($0), as: UTF8.self) + "\n" }
        try lines.joined().write(to: dir.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
        let results = try SweepResults.load(directory: dir)
        XCTAssertNil(results.manifest)
        XCTAssertEqual(results.records.count, Fixtures.sweep.count)
        XCTAssertTrue(results.notes.contains { $0.contains("no record is a job of manifest.yaml") }, "\(results.notes)")
    }

    func testSelectionErrorsListWhatIsAvailable() throws {
        let builder = Fixtures.builder()
        XCTAssertThrowsError(try builder.matrices(for: MatrixQuery(task: "party"))) { error in
            XCTAssertEqual(error as? ReportError, .unknownTask("party", available: ["parity"]))
            XCTAssertTrue("\(error)".contains("did you mean \"parity\"?"), "\(error)")
        }
        XCTAssertThrowsError(try builder.matrices(for: MatrixQuery(metric: "test_acuracy"))) { error in
            XCTAssertEqual(error as? ReportError, .unknownMetric("test_acuracy", task: "parity", available: ["test_accuracy", "test_loss"]))
        }
        XCTAssertThrowsError(try builder.matrices(for: MatrixQuery(condition: .distill))) { error in
            guard case .noRuns(_, let available)? = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(available, ["guided (trained guide)", "guided (untrained guide)"])
        }
    }

    func testQueriesSelectComparisons() throws {
        let builder = Fixtures.builder()
        let all = try builder.matrices(for: MatrixQuery())
        XCTAssertEqual(all.map(\.comparison.description), ["guided (untrained guide) vs baseline", "guided (trained guide) vs baseline"])
        XCTAssertEqual(all.map(\.metric), ["test_accuracy", "test_accuracy"])
        let trained = try builder.matrices(for: MatrixQuery(guideState: .trained, reference: .untrainedGuide))
        XCTAssertEqual(trained.map(\.comparison.description), ["guided (trained guide) vs guided (untrained guide)"])
        XCTAssertThrowsError(try builder.matrices(for: MatrixQuery(reference: .fullGuidance)))
    }
}
