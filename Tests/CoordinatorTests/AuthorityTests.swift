@testable import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// Lease ownership, slot caps, quarantine and the distinct-worker failure rule of the pure state machine.
final class AuthorityTests: XCTestCase {
    func testAResultOrFailureCountsOnlyFromTheLeaseHolder() throws {
        var h = Harness(independentPlan(2))
        h.start()
        let jobs = h.at(0, .workerReady("w1", slots: 2, info: info)).sends.map(\.job)
        XCTAssertEqual(jobs.count, 2)
        h.at(0, .workerReady("w2", slots: 1, info: info))
        // A stranger (no READY, no lease) and another worker report w1's jobs: nothing is recorded or failed.
        let stranger = h.at(1, .result("stranger", lease: LeaseID(rawValue: "L-99"), record: okRecord(jobs[0], worker: "stranger"), artifact: nil))
        XCTAssertTrue(stranger.records.isEmpty)
        XCTAssertTrue(stranger.drops.contains { $0.contains("does not hold") }, "\(stranger.drops)")
        let foreign = h.at(1, .result("w2", lease: jobs[0].lease, record: okRecord(jobs[0], worker: "w2"), artifact: nil))
        XCTAssertTrue(foreign.records.isEmpty)
        XCTAssertTrue(foreign.drops.contains { $0.contains("held by w1") }, "\(foreign.drops)")
        let sabotage = h.at(1, .failed("w2", lease: jobs[1].lease, reason: "nope", retryable: false))
        XCTAssertTrue(sabotage.records.isEmpty)
        XCTAssertTrue(sabotage.requeues.isEmpty)
        // The holder's own reports count.
        XCTAssertEqual(h.at(2, .result("w1", lease: jobs[0].lease, record: okRecord(jobs[0]), artifact: nil)).records.map(\.status), [.ok])
        XCTAssertEqual(h.at(2, .result("w1", lease: jobs[1].lease, record: okRecord(jobs[1]), artifact: nil)).records.map(\.status), [.ok])
        XCTAssertTrue(h.state.isFinished)
    }

    func testALeaseOfAnEarlierRunCountsOnlyFromTheWorkerItWasGivenToAndForItsJob() throws {
        let plan = independentPlan(2)
        var h = Harness(plan)
        let earlier = LeaseID(rawValue: "Lold-1")
        h.state.earlierLeases[earlier] = ("w1", plan.jobs[0].id)
        h.start()
        h.at(0, .workerReady("w2", slots: 0, info: info))
        h.at(0, .workerReady("w1", slots: 0, info: info))
        let spec0 = JobAssignment(id: plan.jobs[0].id, spec: plan.jobs[0].spec, lease: earlier, attempt: 1, leaseSeconds: 3)
        let spec1 = JobAssignment(id: plan.jobs[1].id, spec: plan.jobs[1].spec, lease: earlier, attempt: 1, leaseSeconds: 3)
        XCTAssertTrue(h.at(1, .result("w2", lease: earlier, record: okRecord(spec0, worker: "w2"), artifact: nil)).records.isEmpty)
        XCTAssertTrue(h.at(1, .result("w1", lease: earlier, record: okRecord(spec1), artifact: nil)).records.isEmpty)
        XCTAssertEqual(h.at(1, .result("w1", lease: earlier, record: okRecord(spec0), artifact: nil)).records.map(\.id), [plan.jobs[0].id])
    }

    func testSlotsAreCappedByCoresAndTheCoordinatorLimit() throws {
        var config = SchedulingPolicy()
        config.maxSlotsPerWorker = 4
        var h = Harness(independentPlan(20), config: config)
        h.start()
        let greedy = WorkerInfo(host: "g", versions: versions, cores: 1_000_000_000)
        XCTAssertEqual(h.at(0, .workerReady("greedy", slots: 1_000_000_000, info: greedy)).sends.count, 4)
        let small = WorkerInfo(host: "s", versions: versions, cores: 2)
        XCTAssertEqual(h.at(0, .workerReady("small", slots: 8, info: small)).sends.count, 2)
        // A new READY does not raise the cap.
        XCTAssertTrue(h.at(0.5, .workerReady("greedy", slots: 1_000_000_000, info: greedy)).sends.isEmpty)
        XCTAssertEqual(h.state.statusReply.workers.first { $0.worker == "greedy" }?.slots, 0)
    }

    func testExpiredLeasesAreChargedToTheWorkerWhichIsQuarantinedWhileEveryJobEndsOK() throws {
        var config = SchedulingPolicy(leaseTimeout: .seconds(3), maxRetries: 1, backoffBase: .seconds(0.1))
        config.maxSlotsPerWorker = 3
        config.quarantineAfter = 2
        config.quarantine = .seconds(100)
        var h = Harness(independentPlan(6), config: config)
        h.start()
        let greedy = WorkerInfo(host: "g", versions: versions, cores: 64)
        XCTAssertEqual(h.at(0, .workerReady("greedy", slots: 1_000_000_000, info: greedy)).sends.count, 3)
        var time = 0.0
        var quarantined = false
        var greedyJobs = 3
        // The greedy worker heartbeats (alive) and keeps offering slots, but never reports its leases; they expire.
        while time < 20 {
            time += 0.5
            greedyJobs += h.at(time, .workerReady("greedy", slots: 1_000_000_000, info: greedy)).sends.count
            let actions = h.at(time, .tick)
            greedyJobs += actions.sends.filter { $0.worker == "greedy" }.count
            if actions.contains(where: { if case .quarantine("greedy", _, 100, _) = $0 { true } else { false } }) { quarantined = true }
            XCTAssertTrue(actions.records.isEmpty, "an expiry must not fail a job: \(actions.records.map(\.status))")
            XCTAssertLessThanOrEqual(h.state.leaseCount(ofPrincipal: "greedy"), 3)
        }
        XCTAssertTrue(quarantined)
        XCTAssertTrue(h.state.isQuarantined("greedy"))
        XCTAssertEqual(greedyJobs, 4, "3 at first, then one (allowance after an expiry), then quarantine")
        // A real worker finishes everything; the greedy one gets nothing meanwhile.
        var pending = h.at(time, .workerReady("real", slots: 1, info: info)).sends
        while let sent = pending.first {
            XCTAssertEqual(sent.worker, "real")
            time += 0.1
            pending = h.at(time, .result("real", lease: sent.job.lease, record: okRecord(sent.job, worker: "real"), artifact: nil)).sends
            h.at(time, .heartbeat("greedy", leases: []))
            if pending.isEmpty { pending = h.at(time + 0.2, .tick).sends }
            time += 0.2
        }
        XCTAssertTrue(h.state.isFinished)
        XCTAssertEqual(h.recorded.count, 6)
        XCTAssertTrue(h.recorded.values.allSatisfy { $0.status == .ok && $0.worker.id == "real" })
    }

    func testAJobFailsForGoodOnlyAfterFailingOnDistinctWorkers() throws {
        var config = SchedulingPolicy(leaseTimeout: .seconds(100), maxRetries: 1, backoffBase: .zero)
        config.failureWorkers = 2
        var h = Harness(independentPlan(1), config: config)
        h.start()
        var job = try XCTUnwrap(h.at(0, .workerReady("bad", slots: 1, info: info)).sends.first).job
        h.at(0, .workerReady("other", slots: 0, info: info))  // connected, no free slot yet
        // More than max-retries failures, all on one worker while another is connected: not the job's fault yet.
        for _ in 0..<2 {
            let failed = h.at(1, .failed("bad", lease: job.lease, reason: "oom", retryable: true))
            XCTAssertTrue(failed.records.isEmpty)
            job = try XCTUnwrap(h.at(1, .tick).sends.first).job
        }
        // It fails on a second worker too: now it is recorded failed.
        XCTAssertTrue(h.at(2, .failed("bad", lease: job.lease, reason: "oom", retryable: true)).records.isEmpty)
        h.at(2, .disconnect("bad"))
        h.at(2, .workerReady("other", slots: 1, info: info))
        job = try XCTUnwrap(h.at(2, .tick).sends.first { $0.worker == "other" }).job
        let final = h.at(3, .failed("other", lease: job.lease, reason: "oom", retryable: true))
        XCTAssertEqual(final.records.count, 1)
        guard case .failed(let error, false)? = final.records.first?.status else { return XCTFail() }
        XCTAssertTrue(error.contains("2 worker(s)"), error)
    }

    func testWithOneWorkerTheRetryBudgetStillEndsAJob() throws {
        var config = SchedulingPolicy(leaseTimeout: .seconds(100), maxRetries: 2, backoffBase: .zero)
        config.failureWorkers = 3
        var h = Harness(independentPlan(1), config: config)
        h.start()
        var job = try XCTUnwrap(h.at(0, .workerReady("only", slots: 1, info: info)).sends.first).job
        var records: [JobRecord] = []
        for _ in 0..<3 {
            records += h.at(1, .failed("only", lease: job.lease, reason: "oom", retryable: true)).records
            if let next = h.at(1, .tick).sends.first { job = next.job }
        }
        XCTAssertEqual(records.count, 1)
    }

    func testOnlyAWorkerWhoseLeaseNeedsAGuideCheckpointMayFetchIt() throws {
        var h = Harness(guidePlan())
        h.start()
        let training = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(0, .workerReady("w2", slots: 1, info: info))
        let guided = try XCTUnwrap(h.at(1, .result("w1", lease: training.lease, record: okRecord(training), artifact: hashA)).sends.first)
        XCTAssertEqual(guided.job.guideArtifact, hashA)
        let other = guided.worker == "w1" ? "w2" : "w1"
        XCTAssertTrue(h.state.needsArtifact(hashA, worker: guided.worker))
        XCTAssertFalse(h.state.needsArtifact(hashA, worker: other), "no lease of it needs the checkpoint")
        XCTAssertFalse(h.state.needsArtifact(hashA, worker: "stranger"))
        XCTAssertFalse(h.state.needsArtifact(String(repeating: "b", count: 64), worker: guided.worker))
    }
}
