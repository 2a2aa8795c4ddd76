import Foundation
import Sweep
import XCTest

/// `JobReport` is `JobRecord` less its spec: same fields, same JSON, and back to the same record with the spec.
final class JobReportTests: XCTestCase {
    private let record = JobRecord(
        id: JobID(rawValue: "0123456789abcdef"), spec: JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "fcn")),
        status: .ok, metrics: ["test_accuracy": 0.75], curves: [CurvePoint(step: 3, trainLoss: 0.5)], wallSeconds: 2,
        stepsPerSecond: 1.5, worker: WorkerRef(id: "w1", host: "h"), versions: Versions(package: "0.1.0", libtorch: "1.13", protocol: 2),
        device: "cpu", startedAt: Timestamp(secondsSince1970: 1_700_000_000),
        finishedAt: Timestamp(secondsSince1970: 1_700_000_002), predictions: [1, 0], artifact: String(repeating: "a", count: 64))

    /// A field added to `JobRecord` and not to `JobReport` would silently vanish from every RESULT and results line.
    func testHasEveryFieldOfTheRecordButTheSpec() {
        let recordFields = Mirror(reflecting: record).children.compactMap(\.label).filter { $0 != "spec" }
        XCTAssertEqual(Mirror(reflecting: JobReport(record)).children.compactMap(\.label), recordFields)
    }

    func testEncodesAsTheRecordWithoutItsSpecAndRebuildsIt() throws {
        let encoder = JSONCoding.makeEncoder()
        var whole = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(record)) as? [String: Any])
        whole["spec"] = nil
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(JobReport(record))) as? [String: Any])
        XCTAssertEqual(NSDictionary(dictionary: report), NSDictionary(dictionary: whole))
        XCTAssertEqual(JobReport(record).record(spec: record.spec), record)
    }
}
