import Foundation
import Sweep
import XCTest

/// `guidance sweep` and `guidance plan` as a user runs them: real processes, loopback, test jobs.
final class SweepCommandTests: XCTestCase {
    func testSweepWithTwoWorkersRecordsEveryJobOnceAndShipsGuideCheckpoints() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 3, sleepMs: 150))
        defer { dir.remove() }
        let sweep = try GuidanceProcess(
            ["sweep", dir.manifest.path, "--workers", "2", "--results", dir.results.path, "--heartbeat-interval", "0.2", "--quiet"],
            name: "sweep", in: dir.root)
        XCTAssertEqual(sweep.waitForExit(timeout: 60), 0, sweep.stderr)
        try dir.assertExactlyOneRecordPerJob()
        let records = dir.records()
        XCTAssertEqual(records.count, 9)
        XCTAssertTrue(records.allSatisfy { $0.status == .ok }, "\(records.map(\.status))")
        // Each guide training job left a checkpoint in the store, and its dependent ran after it.
        let plan = try dir.plan()
        for job in plan.jobs where !job.dependencies.isEmpty {
            let guide = try XCTUnwrap(records.first { $0.id == job.dependencies[0] })
            let hash = try XCTUnwrap(guide.artifact, "guide training job \(guide.id) has no checkpoint")
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.results.appendingPathComponent("artifacts/\(hash).safetensors").path))
            let dependent = try XCTUnwrap(records.first { $0.id == job.id })
            XCTAssertGreaterThanOrEqual(dependent.startedAt, guide.finishedAt)
        }
        XCTAssertTrue(sweep.stdout.contains("9/9 jobs recorded"), sweep.stdout)

        // The same command again: everything is done, nothing runs again.
        let journalBefore = dir.journal().count
        let again = try GuidanceProcess(
            ["sweep", dir.manifest.path, "--workers", "2", "--results", dir.results.path, "--quiet"], name: "again", in: dir.root)
        XCTAssertEqual(again.waitForExit(timeout: 30), 0, again.stderr)
        XCTAssertEqual(dir.records().count, 9)
        XCTAssertFalse(dir.journal().dropFirst(journalBefore).contains { $0.kind == .leased })
    }

    func testFailuresAreOutcomesNotErrors() throws {
        // Every attempt of every job fails retryably once (then succeeds); a permanent failure is recorded.
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 2, sleepMs: 10)
            .replacingOccurrences(of: "test: {sleep_ms: 10}", with: "test: {sleep_ms: 10, fail_times: 1, fail_permanent: [false, true]}"))
        defer { dir.remove() }
        let sweep = try GuidanceProcess(
            ["sweep", dir.manifest.path, "--workers", "1", "--results", dir.results.path, "--heartbeat-interval", "0.2",
             "--retry-backoff", "0.1", "--quiet"], name: "sweep", in: dir.root)
        XCTAssertEqual(sweep.waitForExit(timeout: 60), 0, "failed jobs are outcomes; the sweep itself succeeded\n\(sweep.stderr)")
        try dir.assertExactlyOneRecordPerJob()
        let states = dir.records().map(\.status.state).sorted()
        XCTAssertEqual(states, ["failed", "failed", "ok", "ok"])
        let requeued = dir.journal().filter { $0.kind == .requeued }
        XCTAssertEqual(requeued.count, 4, "each job's first attempt failed retryably and was retried")
    }

    func testInvalidManifestGivesItsSpecificError() throws {
        let dir = try SweepDirectory(manifest: """
            tasks: [parity]
            targets:
              - {family: fnc, depth: 2}
            training: {steps: -5}
            """)
        defer { dir.remove() }
        let plan = try GuidanceProcess(["plan", dir.manifest.path], name: "plan", in: dir.root)
        let status = plan.waitForExit(timeout: 30)
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(plan.stderr.contains("sweep.yaml:3:"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("fnc"), plan.stderr)
        XCTAssertTrue(plan.stderr.contains("training.steps"), plan.stderr)
    }

    func testPlanListsJobsAndDependencies() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 2, sleepMs: 0))
        defer { dir.remove() }
        let plan = try GuidanceProcess(["plan", dir.manifest.path], name: "plan", in: dir.root)
        XCTAssertEqual(plan.waitForExit(timeout: 30), 0, plan.stderr)
        XCTAssertTrue(plan.stdout.contains("6 jobs"), plan.stdout)
        for job in try dir.plan().jobs { XCTAssertTrue(plan.stdout.contains(job.id.short), plan.stdout) }
        XCTAssertTrue(plan.stdout.contains("dependencies (2 edges"), plan.stdout)
    }

    func testStartupErrorsAreClear() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let first = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.results.path],
                                        name: "first", in: dir.root)
        let endpoint = try XCTUnwrap(first.listeningEndpoint())
        let second = try GuidanceProcess(
            ["coordinator", dir.manifest.path, "--bind", endpoint, "--results", dir.root.appendingPathComponent("other").path],
            name: "second", in: dir.root)
        XCTAssertNotEqual(second.waitForExit(timeout: 30), 0)
        XCTAssertTrue(second.stderr.contains("cannot listen on \(endpoint)") && second.stderr.contains("in use"), second.stderr)
        first.kill9()

        let blocker = dir.root.appendingPathComponent("file")
        try Data().write(to: blocker)
        let unwritable = try GuidanceProcess(
            ["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", blocker.appendingPathComponent("results").path],
            name: "unwritable", in: dir.root)
        XCTAssertNotEqual(unwritable.waitForExit(timeout: 30), 0)
        XCTAssertTrue(unwritable.stderr.contains("cannot write the results directory"), unwritable.stderr)

        let exposed = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://0.0.0.0:5999", "--results", dir.results.path],
                                          name: "exposed", in: dir.root)
        XCTAssertNotEqual(exposed.waitForExit(timeout: 30), 0)
        XCTAssertTrue(exposed.stderr.contains("--insecure"), exposed.stderr)
    }

    /// The real thing, small: libtorch training on mnist1d, a trained guide whose checkpoint travels
    /// through the coordinator to the guided job.
    func testTinyRealSweep() throws {
        let manifest = GuidanceProcess.packageRoot.appendingPathComponent("manifests/tiny.yaml")
        let dir = try SweepDirectory(manifest: try String(contentsOf: manifest, encoding: .utf8))
        defer { dir.remove() }
        let sweep = try GuidanceProcess(["sweep", dir.manifest.path, "--workers", "2", "--results", dir.results.path, "--quiet"],
                                        name: "sweep", in: dir.root)
        XCTAssertEqual(sweep.waitForExit(timeout: 90), 0, sweep.stderr)
        try dir.assertExactlyOneRecordPerJob()
        let records = dir.records()
        XCTAssertTrue(records.allSatisfy { $0.status == .ok }, "\(records.map(\.status))")
        let trained = try XCTUnwrap(records.first { $0.spec.guideState == .trained })
        XCTAssertFalse(trained.mapping.isEmpty, "the guided job aligned guide and target taps")
        XCTAssertNotNil(trained.metrics["test_accuracy"])
        let guide = try XCTUnwrap(records.first { $0.spec.condition == .baseline && $0.spec.target.family == "cnn" })
        let hash = try XCTUnwrap(guide.artifact)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.results.appendingPathComponent("artifacts/\(hash).safetensors").path))
    }
}
