import Foundation
import XCTest

/// `guidance-bench coordinator` end to end, tiny and untimed: it must finish, record every job exactly as the
/// protocol says (2 journal lines and 1 record per job) and write the JSON it promises. No figure is checked.
final class CoordinatorBenchCommandTests: XCTestCase {
    func testATinyRunRecordsEveryJobAndWritesItsJSON() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-coordinator-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try GuidanceExecutable.run([
            "coordinator", "--parts", "startup,roundtrip,dispatch", "--workers", "1,3", "--slots", "2",
            "--jobs", "30", "--repeats", "1", "--round-trips", "20", "--grid-jobs", "40", "--json-output", json.path,
        ], product: "guidance-bench")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("goals:"), result.standardOutput)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])

        let samples = try XCTUnwrap(report["dispatch_samples"] as? [[String: Any]])
        XCTAssertEqual(samples.map { $0["workers"] as? Int }, [1, 3])
        for sample in samples {
            XCTAssertEqual(sample["jobs"] as? Int, 30)
            XCTAssertEqual(sample["record_lines"] as? Int, 30, "one record per job")
            XCTAssertEqual(sample["journal_lines"] as? Int, 60, "leased and completed per job (ready at the start: no queued line)")
            XCTAssertGreaterThan(sample["jobs_per_second"] as? Double ?? 0, 0)
        }
        let startup = try XCTUnwrap((report["startup"] as? [[String: Any]])?.first)
        XCTAssertEqual(startup["jobs"] as? Int, 40, "2 seeds × 20 jobs")
        let trips = try XCTUnwrap(report["round_trips"] as? [[String: Any]])
        XCTAssertEqual(trips.map { $0["variant"] as? String }, ["transport", "transport+wire"])
        XCTAssertEqual(trips.map { $0["round_trips"] as? Int }, [20, 20])
    }

    func testUnknownPartsAreRefusedWithTheKnownOnes() throws {
        let result = try GuidanceExecutable.run(["coordinator", "--parts", "dispatch,warp"], product: "guidance-bench")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("unknown part warp"), result.standardError)
        XCTAssertTrue(result.standardError.contains("dispatch, fleet, fsync, roundtrip, startup"), result.standardError)
    }

    /// The fleet part: simulated workers holding leases and heartbeating; every job answered, the counts reported.
    func testATinyFleetAnswersEveryJobAndReportsItsCounts() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-fleet-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try GuidanceExecutable.run([
            "coordinator", "--parts", "fleet", "--fleet-workers", "5", "--fleet-jobs-per-worker", "2",
            "--fleet-hold", "1.5", "--repeats", "1", "--json-output", json.path,
        ], product: "guidance-bench")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("fleet:"), result.standardOutput)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        let fleet = try XCTUnwrap((report["fleet"] as? [[String: Any]])?.first)
        XCTAssertEqual(fleet["workers"] as? Int, 5)
        XCTAssertEqual(fleet["jobs"] as? Int, 10)
        XCTAssertEqual(fleet["results"] as? Int, 10, "one RESULT per job")
        let spread = try XCTUnwrap(fleet["jobs_per_worker"] as? [String: Any])
        XCTAssertEqual(spread["count"] as? Int, 5, "one count per worker")
        XCTAssertEqual(spread["mean"] as? Double, 2, "every job counted once")
        XCTAssertGreaterThan(fleet["heartbeats"] as? Int ?? 0, 0, "workers heartbeat their leases while they hold them")
        XCTAssertNotNil(fleet["expired_leases"] as? Int)
    }
}
