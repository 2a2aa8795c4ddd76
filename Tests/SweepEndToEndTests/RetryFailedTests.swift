import Foundation
import Store
import Sweep
import XCTest

/// `--retry-failed`: jobs recorded failed run again on resume, and their new record is the one that counts.
final class RetryFailedTests: XCTestCase {
    let run = String(UUID().uuidString.prefix(6))

    func testFailedJobsRunAgainOnResumeAndTheirNewRecordCounts() throws {
        // Each job fails its first two attempts; with one retry and one worker it is recorded failed.
        let dir = try SweepDirectory(manifest: """
            name: retry
            seeds: 2
            tasks: [parity]
            targets: [{family: fcn, depth: 2, width: 16}]
            test: {sleep_ms: 0, fail_times: 2}
            """)
        defer { dir.remove() }
        func sweep(_ extra: [String]) throws -> GuidanceProcess {
            try GuidanceProcess(["sweep", dir.manifest.path, "--results", dir.results.path, "--workers", "1", "--quiet",
                                 "--heartbeat-interval", "0.2", "--retry-backoff", "0.05", "--max-retries", "1"] + extra,
                                name: "sweep-\(extra.count)", in: dir.root)
        }
        let first = try sweep([])
        XCTAssertEqual(first.waitForExit(timeout: 120), 0, first.stderr)
        XCTAssertEqual(dir.records().map(\.status.state), ["failed", "failed"])

        // Resuming without the flag runs nothing.
        let again = try sweep(["--fail-on-workers", "1"])
        XCTAssertEqual(again.waitForExit(timeout: 120), 0, again.stderr)
        XCTAssertEqual(dir.records().count, 2)

        // With it, both run again (attempt 3 passes) and their ok records replace the failures.
        let retried = try sweep(["--retry-failed"])
        XCTAssertEqual(retried.waitForExit(timeout: 120), 0, retried.stderr)
        XCTAssertEqual(dir.records().map(\.status.state), ["failed", "failed", "ok", "ok"], "results.jsonl is append-only")
        let counted = try ResultStore.open(existing: dir.results).records()
        XCTAssertEqual(counted.map(\.status), [.ok, .ok])
        XCTAssertEqual(Set(counted.map(\.id)), Set(try dir.plan().jobs.map(\.id)))
        let csv = try String(contentsOf: dir.results.appendingPathComponent("results.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 3, "header + one row per job:\n\(csv)")
    }
}
