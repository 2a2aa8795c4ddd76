import Foundation
import Logging
import Sweep
import Transport
import Wire
import Worker
import XCTest

/// The worker's network side against a scripted coordinator (a ROUTER in the test), in process.
final class WorkerServiceTests: XCTestCase {
    /// Runs a worker (slots 1, heartbeats every 0.1 s) against a ROUTER bound here; returns its exit.
    final class Harness: @unchecked Sendable {
        let context: ZMQContext
        let router: ZMQSocket
        let control = WorkerControl()
        let finished = DispatchSemaphore(value: 0)
        var exit: Result<WorkerService.Exit, any Error>?
        var identity = Data()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("worker-test-\(UUID().uuidString.prefix(8))")

        init(executor: any JobExecutor = StandardJobExecutor()) throws {
            context = try ZMQContext()
            router = try ZMQSocket(context, kind: .router)
            try router.bind("tcp://127.0.0.1:*")
            let options = WorkerOptions(
                endpoint: try router.lastEndpoint(), id: "w-test", host: "h", slots: 1,
                config: WorkerConfig(heartbeatInterval: .milliseconds(100), liveness: 20, reconnectInitial: .milliseconds(100)),
                cacheDirectory: cache)
            let thread = Thread { [self] in
                exit = Result { try WorkerService(options: options, executor: executor, control: control, logger: Logger(label: "test")).run() }
                finished.signal()
            }
            thread.start()
        }

        /// The next message that is not a HEARTBEAT, within `timeout` seconds.
        func next(timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) throws -> Message? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                guard let frames = try router.receive(timeout: .milliseconds(50)) else { continue }
                identity = frames[0]
                let message = try Message.decode(Array(frames[1...]))
                if case .heartbeat = message { continue }
                return message
            }
            XCTFail("no message from the worker within \(timeout) s", file: file, line: line)
            return nil
        }

        func send(_ message: Message) throws { try router.send([identity] + message.encode()) }

        func job(_ seed: Int, lease: String, sleepMs: Int = 50, guide: String? = nil) -> JobAssignment {
            let spec = JobSpec(task: TaskSpec(name: "t"), target: ModelSpec(family: "fcn"), seed: seed,
                               kind: .test(SimulatedJobOptions(sleepMs: sleepMs)))
            return JobAssignment(id: spec.id, spec: spec, lease: LeaseID(rawValue: lease), attempt: 1, leaseSeconds: 5,
                                 guideArtifact: guide)
        }

        deinit {
            router.close()
            try? FileManager.default.removeItem(at: cache)
        }
    }

    func testReadyRefusalOvercommitFetchAndGoodbye() throws {
        let h = try Harness()
        guard case .ready(let ready)? = try h.next() else { return XCTFail("READY first") }
        XCTAssertEqual(ready.worker, "w-test")
        XCTAssertEqual(ready.slots, 1)

        try h.send(.refused(Refusal(reason: "unknown worker w-test", hint: "send READY")))
        guard case .ready? = try h.next() else { return XCTFail("READY again after an unknown-worker refusal") }

        // Two jobs for one slot (a READY crossed a JOB): the second waits, both finish, in order.
        let first = h.job(1, lease: "L-1", sleepMs: 300), second = h.job(2, lease: "L-2")
        try h.send(.job(first))
        try h.send(.job(second))
        var heartbeatLeases: Set<LeaseID> = []
        let deadline = Date().addingTimeInterval(5)
        var results: [LeaseID] = []
        while results.count < 2, Date() < deadline {
            guard let frames = try h.router.receive(timeout: .milliseconds(50)) else { continue }
            switch try Message.decode(Array(frames[1...])) {
            case .heartbeat(let beat): heartbeatLeases.formUnion(beat.leases.map(\.lease))
            case .result(let report, _): results.append(report.lease)
            case let other: XCTFail("unexpected \(other.kind)")
            }
        }
        XCTAssertEqual(results, [first.lease, second.lease])
        XCTAssertTrue(heartbeatLeases.contains(second.lease), "a queued job is heartbeated while it waits")

        // A trained-guide job fetches its checkpoint; wrong bytes fail the attempt (retryable).
        let good = Data("guide bytes".utf8)
        let hash = ContentHash.sha256Hex(good)
        try h.send(.job(h.job(3, lease: "L-3", guide: hash)))
        guard case .fetch(let ref)? = try h.next() else { return XCTFail("FETCH expected") }
        XCTAssertEqual(ref.sha256, hash)
        try h.send(.artifact(ref, bytes: Data("tampered".utf8)))
        guard case .failed(let failure)? = try h.next() else { return XCTFail("FAILED expected") }
        XCTAssertTrue(failure.retryable)
        XCTAssertTrue(failure.reason.contains("guide checkpoint"), failure.reason)

        // The right bytes: fetched once, cached, the job runs.
        try h.send(.job(h.job(4, lease: "L-4", guide: hash)))
        guard case .fetch? = try h.next() else { return XCTFail("FETCH expected") }
        try h.send(.artifact(ref, bytes: good))
        guard case .result(let report, _)? = try h.next() else { return XCTFail("RESULT expected") }
        XCTAssertEqual(report.lease, LeaseID(rawValue: "L-4"))
        XCTAssertEqual(report.record.status, .ok)
        try h.send(.job(h.job(5, lease: "L-5", guide: hash)))
        guard case .result? = try h.next() else { return XCTFail("a cached guide needs no FETCH") }

        try h.send(.disconnect(Disconnect(reason: "sweep finished")))
        XCTAssertEqual(h.finished.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(try h.exit?.get(), .finished(reason: "coordinator said goodbye: sweep finished"))
    }

    /// READY and every HEARTBEAT carry the worker's guide cache counters: the budget from the start, then a miss for
    /// the first guided training job and a hit for a second one against the same guide (real trainer, tiny jobs).
    func testReadyAndHeartbeatsCarryTheGuideCacheCounters() throws {
        let budget = 64 * 1_048_576
        let h = try Harness(executor: StandardJobExecutor(guideCacheBudgetBytes: budget))
        guard case .ready(let ready)? = try h.next() else { return XCTFail("READY first") }
        XCTAssertEqual(ready.guideCache, GuideCacheStatistics(budgetBytes: budget))
        let plan = Plan(try Manifest.decode(yaml: """
            tasks: [{name: mnist1d, samples: 300}]
            models:
              narrow: {family: fcn, depth: 2, width: 16}
              wide: {family: fcn, depth: 2, width: 24}
              cnn: {family: cnn, depth: 2, channels: 8}
            targets: [narrow, wide]
            guides: [cnn]
            conditions: [guided]
            guide_states: [untrained]
            training: {steps: 3, batch_size: 32, eval_every: 3, threads: 1}
            """, file: "cache.yaml"))
        XCTAssertEqual(plan.jobs.count, 2)
        var latest: GuideCacheStatistics?
        for (index, job) in plan.jobs.enumerated() {
            try h.send(.job(JobAssignment(id: job.id, spec: job.spec, lease: LeaseID(rawValue: "L-\(index)"), attempt: 1, leaseSeconds: 60)))
            var result: ResultReport?
            let deadline = Date().addingTimeInterval(300)
            while result == nil || latest.map({ $0.hits + $0.misses }) != index + 1, Date() < deadline {
                guard let frames = try h.router.receive(timeout: .milliseconds(50)) else { continue }
                switch try Message.decode(Array(frames[1...])) {
                case .heartbeat(let beat): latest = beat.guideCache ?? latest
                case .result(let report, _): result = report
                case let other: XCTFail("unexpected \(other.kind)")
                }
            }
            let record = try XCTUnwrap(result, "job \(index) finished").record
            XCTAssertEqual(record.status, .ok)
            XCTAssertEqual(record.guideCache?.used, true)
            XCTAssertEqual(record.guideCache?.shared, index == 1, "the second job finds the first one's cache")
        }
        let counters = try XCTUnwrap(latest)
        XCTAssertEqual(counters.hits, 1)
        XCTAssertEqual(counters.misses, 1)
        XCTAssertEqual(counters.entries, 1)
        XCTAssertEqual(counters.budgetBytes, budget)
        XCTAssertGreaterThan(counters.bytes, 0)
        try h.send(.disconnect(Disconnect(reason: "done")))
        XCTAssertEqual(h.finished.wait(timeout: .now() + 10), .success)
    }

    func testStopRequestSaysGoodbye() throws {
        let h = try Harness()
        guard case .ready? = try h.next() else { return XCTFail("READY first") }
        try h.send(.job(h.job(1, lease: "L-1", sleepMs: 5000)))
        Thread.sleep(forTimeInterval: 0.2)
        h.control.requestStop(reason: "SIGTERM received")
        var sawDisconnect = false
        while let message = try h.next(timeout: 5) {
            if case .disconnect(let goodbye) = message {
                XCTAssertEqual(goodbye.reason, "SIGTERM received")
                sawDisconnect = true
                break
            }
        }
        XCTAssertTrue(sawDisconnect)
        XCTAssertEqual(h.finished.wait(timeout: .now() + 5), .success, "the worker does not wait for its job to end")
    }
}
