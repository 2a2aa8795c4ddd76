import Foundation
@testable import Report
import XCTest

/// "Failures by worker" from a journal: expired leases, failed attempts and failed records per worker.
final class WorkerFailuresTests: XCTestCase {
    func testTheJournalIsCountedByWorkerAndShownInTheReport() throws {
        let dir = try demoSweepDirectory(limit: 40)
        let lines = [
            #"{"event":"leased","job":"a","lease":"L-1","worker":"greedy","attempt":1}"#,
            #"{"event":"requeued","job":"a","lease":"L-1","worker":"greedy","attempt":1,"reason":"lease expired: no heartbeat for 3.0 s"}"#,
            #"{"event":"requeued","job":"b","lease":"L-2","worker":"greedy","attempt":1,"reason":"lease expired: no heartbeat for 3.0 s"}"#,
            #"{"event":"requeued","job":"c","lease":"L-3","worker":"flaky","attempt":1,"reason":"cuda oom"}"#,
            #"{"event":"failed","job":"c","lease":"L-4","worker":"flaky","attempt":2,"reason":"cuda oom"}"#,
            #"{"event":"completed","job":"a","lease":"L-5","worker":"good","attempt":2}"#,
            #"{"event":"failed","job":"d","reason":"dependency failed"}"#,
            "not json",
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: dir.appendingPathComponent("journal.jsonl"))
        let failures = WorkerFailures.load(directory: dir)
        XCTAssertEqual(failures.rows, [
            .init(worker: "flaky", expired: 0, failedAttempts: 1, recordedFailed: 1),
            .init(worker: "greedy", expired: 2, failedAttempts: 0, recordedFailed: 0),
        ])
        let html = HTMLReport(results: try SweepResults.load(directory: dir)).render()
        let xml = XMLWellFormed(html)
        XCTAssertNil(xml.error, xml.error ?? "")
        XCTAssertTrue(xml.text.contains("Failures by worker (2)"), "the summary lists failures by worker")
        XCTAssertEqual(WorkerFailures.load(directory: dir.appendingPathComponent("nowhere")).rows, [])
    }
}
