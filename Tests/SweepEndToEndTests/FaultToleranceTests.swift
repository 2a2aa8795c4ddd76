import Foundation
import Store
import Sweep
import Transport
import Wire
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The runner under failures: killed workers, a killed coordinator, garbage on the wire.
final class FaultToleranceTests: XCTestCase {
    /// Fast timing for tests: heartbeats every 0.2 s, leases expire after 0.6 s, first retry after 0.1 s.
    let timing = ["--heartbeat-interval", "0.2", "--retry-backoff", "0.1"]

    func coordinator(_ dir: SweepDirectory, bind: String = "tcp://127.0.0.1:*", name: String = "coordinator") throws -> GuidanceProcess {
        try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", bind, "--results", dir.results.path] + timing,
                            name: name, in: dir.root)
    }

    /// Worker ids unique to this test run, so no stray process from another run can pose as one.
    let run = String(UUID().uuidString.prefix(6))
    func id(_ name: String) -> String { "\(name)-\(run)" }

    func worker(_ name: String, _ endpoint: String, _ dir: SweepDirectory) throws -> GuidanceProcess {
        try GuidanceProcess(["worker", "--connect", endpoint, "--id", id(name), "--threads", "1", "--heartbeat-interval", "0.2"],
                            name: "worker-\(name)", in: dir.root)
    }

    func testKilledWorkersJobIsLeasedAgainAndCompletedElsewhere() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 4, sleepMs: 1000))
        defer { dir.remove() }
        let coordinator = try coordinator(dir)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let victim = try worker("victim", endpoint, dir)
        let survivor = try worker("survivor", endpoint, dir)
        var lost: JobID?
        waitUntil(30, "the victim holds a job") {
            lost = dir.journal().last { $0.kind == .leased && $0.worker == self.id("victim") }?.job
            return lost != nil
        }
        let lostJob = try XCTUnwrap(lost)
        // STATUS names the job each worker runs.
        let reply = try XCTUnwrap(try requestStatus(endpoint))
        XCTAssertEqual(reply.total, 4)
        XCTAssertTrue(reply.workers.flatMap(\.leases).contains { $0.job == lostJob && $0.summary?.contains("baseline") == true },
                      "\(reply)")
        victim.kill9()
        XCTAssertEqual(coordinator.waitForExit(timeout: 40), 0, coordinator.stderr)
        XCTAssertEqual(survivor.waitForExit(timeout: 20), 0, "the survivor exits cleanly on DISCONNECT")
        try dir.assertExactlyOneRecordPerJob()
        let record = try XCTUnwrap(dir.records().first { $0.id == lostJob })
        XCTAssertEqual(record.worker.id, id("survivor"))
        XCTAssertEqual(record.status, .ok)
        // Put back either as a lost connection (ROUTER_MANDATORY notices) or as an expired lease.
        XCTAssertTrue(dir.journal().contains {
            $0.job == lostJob && (($0.kind == .requeued && $0.worker == id("victim"))
                                  || ($0.kind == .queued && $0.reason?.contains(id("victim")) == true))
        }, "the victim's job went back to the queue")
        // Jobs run 1 s under a 0.6 s lease: only heartbeats sent while they run keep the other leases alive.
        XCTAssertEqual(Set(dir.journal().filter { $0.kind == .requeued }.map(\.job)).subtracting([lostJob]), [],
                       "a lease of a live worker expired")
    }

    func testSIGTERMDrainsWaitingForRunningJobs() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 3, sleepMs: 1000))
        defer { dir.remove() }
        let coordinator = try coordinator(dir)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let worker = try worker("w", endpoint, dir)
        var running: JobID?
        waitUntil(30, "a job runs") {
            running = dir.journal().first { $0.kind == .leased }?.job
            return running != nil
        }
        kill(coordinator.process.processIdentifier, SIGTERM)
        XCTAssertEqual(coordinator.waitForExit(timeout: 20), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 20), 0, "the worker leaves on DISCONNECT")
        let records = dir.records()
        XCTAssertTrue(records.contains { $0.id == running }, "the running job's result was waited for")
        XCTAssertLessThan(records.count, 3, "no new job was dispatched after SIGTERM")
        XCTAssertTrue(coordinator.stdout.contains("stopped with \(3 - records.count) job(s) left"), coordinator.stdout)
        let leased = dir.journal().filter { $0.kind == .leased }.map(\.job)
        XCTAssertEqual(Set(leased), Set(records.map(\.id)), "every leased job finished before the exit")
    }

    func testKilledCoordinatorResumesWithoutRerunningFinishedJobs() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 3, sleepMs: 400))
        defer { dir.remove() }
        let first = try coordinator(dir, name: "first")
        let endpoint = try XCTUnwrap(first.listeningEndpoint())
        let workers = [try worker("a", endpoint, dir), try worker("b", endpoint, dir)]
        waitUntil(40, "some jobs finished") { dir.records().count >= 3 }
        first.kill9()
        let finishedBefore = Set(dir.records().map(\.id))
        let journalBefore = dir.journal().count
        XCTAssertLessThan(finishedBefore.count, 9, "the coordinator was killed mid-sweep")

        let second = try coordinator(dir, bind: endpoint, name: "second")
        XCTAssertEqual(second.waitForExit(timeout: 60), 0, second.stderr)
        for worker in workers { XCTAssertEqual(worker.waitForExit(timeout: 20), 0, worker.stderr) }
        try dir.assertExactlyOneRecordPerJob()
        let leasedAfter = dir.journal().dropFirst(journalBefore).filter { $0.kind == .leased }.map(\.job)
        XCTAssertTrue(Set(leasedAfter).isDisjoint(with: finishedBefore), "a finished job ran again after the restart")
        XCTAssertTrue(second.stderr.contains("resuming: \(finishedBefore.count) of 9"), second.stderr)
    }

    func testGarbageOnTheWireLeavesTheCoordinatorRunningAndTheSweepCorrect() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 2, sleepMs: 50))
        defer { dir.remove() }
        let coordinator = try coordinator(dir)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let context = try ZMQContext()
        let intruder = try ZMQSocket(context, kind: .dealer)
        defer { intruder.close() }
        try intruder.set(.routingID(Data("intruder".utf8)))
        try intruder.connect(endpoint)
        let tag = Data("GDNC".utf8)
        var generator = SystemRandomNumberGenerator()
        let plan = try dir.plan()
        // A RESULT whose record claims job 0 (its spec is not sent: protocol 2) under a lease never issued: dropped.
        let forged = JobRecord(id: plan.jobs[0].id, spec: plan.jobs[1].spec, status: .ok, worker: WorkerRef(id: "intruder", host: "x"),
                               versions: Versions(package: "x", libtorch: "", protocol: 1), device: "cpu",
                               startedAt: .now(), finishedAt: .now())
        let forgedResult = try Message.result(ResultReport(lease: LeaseID(rawValue: "bogus"), record: forged), artifact: nil).encode()
        var garbage: [[Data]] = [
            [Data((0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) })],
            [tag + [WireProtocol.version], Data("JOB".utf8)],
            [tag + [WireProtocol.version], Data("NOPE".utf8), Data("{}".utf8)],
            [tag + [WireProtocol.version], Data("READY".utf8), Data("{not json".utf8)],
            [tag + [WireProtocol.version], Data("HEARTBEAT".utf8), Data("{\"leases\": 7}".utf8)],
            [tag + [WireProtocol.version], Data("FETCH".utf8), Data("{\"sha256\": \"../../etc/passwd\"}".utf8)],
            [Data("XXXX".utf8) + [1], Data("READY".utf8), Data("{}".utf8)],
            [tag + [WireProtocol.version], Data("STATUS".utf8), Data("{}".utf8), Data("binary".utf8)],
        ]
        for _ in 0..<50 {
            garbage.append((0..<Int.random(in: 1...5, using: &generator)).map { _ in
                Data((0..<Int.random(in: 0...200, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            })
        }
        for frames in garbage { XCTAssertTrue(try intruder.send(frames, mode: .timeout(.seconds(2)))) }
        // A wrong protocol version gets REFUSED with the reason.
        XCTAssertTrue(try intruder.send([tag + [9], Data("READY".utf8), Data("{}".utf8)], mode: .timeout(.seconds(2))))
        var refusals: [String] = []
        waitUntil(20, "the wrong-version peer is refused") {
            while let frames = try? intruder.receive(timeout: .milliseconds(50)) {
                if case .refused(let refusal)? = try? Message.decode(frames) { refusals.append(refusal.reason) }
            }
            return refusals.contains { $0.contains("protocol version 9") }
        }
        XCTAssertTrue(try intruder.send(forgedResult, mode: .timeout(.seconds(2))))

        let status = try GuidanceProcess(["status", "--connect", endpoint], name: "status", in: dir.root)
        XCTAssertEqual(status.waitForExit(timeout: 30), 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("0/6 jobs"), "the coordinator still answers: \(status.stdout)")

        let worker = try worker("honest", endpoint, dir)
        XCTAssertEqual(coordinator.waitForExit(timeout: 40), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 20), 0)
        try dir.assertExactlyOneRecordPerJob()
        XCTAssertTrue(dir.records().allSatisfy { $0.worker.id == id("honest") && $0.spec.id == $0.id })
        XCTAssertTrue(coordinator.stderr.contains("dropped a message from intruder"), coordinator.stderr)
    }

    /// A worker of protocol 1 (whose RESULT echoed the spec) says READY: it gets a REFUSED naming both versions, in a
    /// header that tells it the coordinator's version (what an old worker reports as incompatible), and no job.
    func testAnOldProtocolWorkerIsRefusedWithBothVersions() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let coordinator = try coordinator(dir)
        defer { coordinator.kill9() }
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let context = try ZMQContext()
        let old = try ZMQSocket(context, kind: .dealer)
        defer { old.close() }
        try old.set(.routingID(Data(id("old").utf8)))
        try old.connect(endpoint)
        // READY exactly as a protocol-1 worker wrote it.
        let ready = #"{"cores":2,"devices":["cpu"],"host":"old-host","slots":1,"versions":{"libtorch":"","package":"0.1.0","protocol":1},"worker":"\#(id("old"))"}"#
        XCTAssertTrue(try old.send([Data("GDNC".utf8) + [1], Data("READY".utf8), Data(ready.utf8)], mode: .timeout(.seconds(5))))
        var reply: [Data]?
        waitUntil(30, "the old worker gets an answer") {
            reply = try? old.receive(timeout: .milliseconds(200))
            return reply != nil
        }
        let frames = try XCTUnwrap(reply)
        XCTAssertEqual(frames.first, Data("GDNC".utf8) + [WireProtocol.version], "the header carries the coordinator's version")
        guard case .refused(let refusal) = try Message.decode(frames) else { return XCTFail("not a REFUSED: \(frames)") }
        XCTAssertTrue(refusal.reason.contains("protocol version 1"), refusal.reason)
        XCTAssertTrue(refusal.reason.contains("speaks \(WireProtocol.version)"), refusal.reason)
        XCTAssertNil(try old.receive(timeout: .milliseconds(500)), "nothing else (no JOB) for the old worker")
    }

    /// One STATUS round trip on a DEALER of our own.
    func requestStatus(_ endpoint: String) throws -> StatusReply? {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .dealer)
        defer { socket.close() }
        try socket.connect(endpoint)
        try socket.send(try Message.status(StatusRequest()).encode(), mode: .timeout(.seconds(5)))
        guard let frames = try socket.receive(timeout: .seconds(5)), case .statusReply(let reply) = try Message.decode(frames) else {
            return nil
        }
        return reply
    }
}
