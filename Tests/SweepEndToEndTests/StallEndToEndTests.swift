import Foundation
import Store
import Sweep
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A coordinator process that stops running for seconds (SIGSTOP, as a swapped or starved host would) while a
/// job runs: the job finishes once, on its first lease, and no retry is spent.
final class StallEndToEndTests: XCTestCase {
    func testACoordinatorStoppedForSecondsMidJobDoesNotRunTheJobAgain() throws {
        // Heartbeats every 0.2 s, liveness 10: the worker gives the silent coordinator up after 2 s and reconnects
        // while its job still runs; the stop (6 s) also outlasts the 2 s lease many times over.
        let stopSeconds: UInt32 = 6
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 9_000))
        defer { dir.remove() }
        let timing = ["--heartbeat-interval", "0.2", "--retry-backoff", "0.1"]
        let coordinator = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*",
                                               "--results", dir.results.path] + timing, name: "coordinator", in: dir.root)
        defer { if coordinator.process.isRunning { kill(coordinator.process.processIdentifier, SIGCONT) } }
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let workerID = "stall-\(UUID().uuidString.prefix(6))"
        let worker = try GuidanceProcess(["worker", "--connect", endpoint, "--id", workerID, "--threads", "1",
                                          "--heartbeat-interval", "0.2"], name: "worker", in: dir.root)
        var job: JobID?
        waitUntil(60, "the worker holds the job") {
            job = dir.journal().first { $0.kind == .leased }?.job
            return job != nil
        }
        let running = try XCTUnwrap(job)
        // The journal says "leased" before the JOB is sent: stop the coordinator only once the worker runs the job
        // (stopped in between, the JOB never left, and leasing it again is right).
        waitUntil(60, "the worker runs the job") { worker.stderr.contains("job \(running.short) (attempt 1)") }
        kill(coordinator.process.processIdentifier, SIGSTOP)
        sleep(stopSeconds)
        kill(coordinator.process.processIdentifier, SIGCONT)
        XCTAssertEqual(coordinator.waitForExit(timeout: 120), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)

        try dir.assertExactlyOneRecordPerJob()
        let events = dir.journal().filter { $0.job == running }
        XCTAssertEqual(events.filter { $0.kind == .leased }.count, 1,
                       "the job was leased again: \(events)\ncoordinator:\n\(coordinator.stderr.suffix(2000))\nworker:\n\(worker.stderr.suffix(2000))")
        XCTAssertEqual(dir.records().first?.status, .ok)
        // Either the coordinator excused the stall (no expiry at all), or an expiry was undone by the worker's
        // heartbeat after it reconnected; never an expiry that stands.
        let requeued = events.filter { $0.kind == .requeued }.count, renewed = events.filter { $0.kind == .renewed }.count
        XCTAssertEqual(requeued, renewed, "\(events)")
        XCTAssertTrue(worker.stderr.contains("no word from the coordinator"),
                      "the worker was expected to reconnect during the stop:\n\(worker.stderr.suffix(2000))")
        XCTAssertTrue(coordinator.stderr.contains("did not run for"), coordinator.stderr.suffix(2000).description)
    }
}
