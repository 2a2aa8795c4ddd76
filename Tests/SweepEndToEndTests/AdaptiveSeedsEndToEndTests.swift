import Foundation
import Store
import Sweep
import XCTest

/// Adaptive seeds with real processes: `guidance sweep`, and `guidance coordinator` killed with SIGKILL while seeds
/// are being added, then resumed. Test jobs' `test_score` is +1 with an untrained guide (decided at 3 seeds) and
/// (−1)^seed with a trained one (never decided), against 0 for baselines.
final class AdaptiveSeedsEndToEndTests: XCTestCase {
    static func manifest(sleepMs: Int, max: Int = 6) -> String {
        TestManifests.guided(name: "adaptive", seeds: "{initial: 3, max: \(max), until: decided, metric: test_score}",
                             guideStates: "[untrained, trained]", test: "sleep_ms: \(sleepMs)")
    }

    /// Seeds recorded per arm, and a check that no job has two records.
    func seedsByArm(_ dir: SweepDirectory, file: StaticString = #filePath, line: UInt = #line) -> [String: [Int]] {
        let records = dir.records()
        XCTAssertEqual(records.count, Set(records.map(\.id)).count, "a job was recorded twice", file: file, line: line)
        var out: [String: [Int]] = [:]
        for record in records {
            let spec = record.spec
            let arm = spec.condition == .baseline ? "baseline \(spec.target.family)" : "guided \(spec.guideState!.rawValue)"
            out[arm, default: []].append(spec.seed)
        }
        return out.mapValues { $0.sorted() }
    }

    let expected = [
        "guided untrained": [0, 1, 2],
        "guided trained": [0, 1, 2, 3, 4, 5],
        "baseline fcn": [0, 1, 2, 3, 4, 5],
        "baseline cnn": [0, 1, 2, 3, 4, 5],
    ]

    func testSweepDecidesOneCellAtThreeSeedsAndRunsTheOtherToMax() throws {
        let dir = try SweepDirectory(manifest: Self.manifest(sleepMs: 30))
        defer { dir.remove() }
        let plan = try GuidanceProcess(["plan", dir.manifest.path], name: "plan", in: dir.root)
        XCTAssertEqual(plan.waitForExit(timeout: 60), 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("12 jobs"), plan.stdout)
        XCTAssertTrue(plan.stdout.contains("worst case: 24 jobs"), plan.stdout)

        let sweep = try GuidanceProcess(
            ["sweep", dir.manifest.path, "--workers", "2", "--results", dir.results.path, "--heartbeat-interval", "0.2"],
            name: "sweep", in: dir.root)
        XCTAssertEqual(sweep.waitForExit(timeout: 240), 0, sweep.stderr)
        XCTAssertEqual(seedsByArm(dir), expected)
        let added = dir.journal().filter { $0.kind == .added }.map(\.job)
        XCTAssertEqual(Set(added).count, added.count)
        XCTAssertEqual(added.count, 24 - 3 - 12, "seeds 3..5 of the trained cell, its guide's training and the baseline")
        // The terminal matrix marks the decided cell (+1 with no spread) and not the other.
        XCTAssertTrue(sweep.stdout.contains("+1.00 ±0.00*"), sweep.stdout)
    }

    /// 200 ms jobs, SIGKILL once the journal shows added jobs, then the same
    /// command again: every job recorded exactly once, no cell beyond max, same outcome as an uninterrupted run.
    func testKilledCoordinatorWhileAddingSeedsResumes() throws {
        let dir = try SweepDirectory(manifest: Self.manifest(sleepMs: 200))
        defer { dir.remove() }
        let timing = ["--heartbeat-interval", "0.2", "--retry-backoff", "0.1"]
        let first = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results",
                                         dir.results.path] + timing, name: "first", in: dir.root)
        let endpoint = try XCTUnwrap(first.listeningEndpoint())
        let run = String(UUID().uuidString.prefix(6))
        let workers = try ["a", "b"].map {
            try GuidanceProcess(["worker", "--connect", endpoint, "--id", "\($0)-\(run)", "--threads", "1", "--heartbeat-interval", "0.2"],
                                name: "worker-\($0)", in: dir.root)
        }
        waitUntil(180, "seeds are being added") { dir.journal().contains { $0.kind == .added } }
        first.kill9()
        let addedBefore = dir.journal().filter { $0.kind == .added }.map(\.job)
        XCTAssertFalse(addedBefore.isEmpty)

        let second = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", endpoint, "--results", dir.results.path]
                                         + timing, name: "second", in: dir.root)
        XCTAssertEqual(second.waitForExit(timeout: 240), 0, second.stderr)
        for worker in workers { XCTAssertEqual(worker.waitForExit(timeout: 20), 0, worker.stderr) }
        XCTAssertEqual(seedsByArm(dir), expected)
        let added = dir.journal().filter { $0.kind == .added }.map(\.job)
        XCTAssertEqual(Set(added).count, added.count, "a job was added twice across the restart")
        XCTAssertTrue(second.stdout.contains("sweep finished"), second.stdout)
    }
}
