import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

final class DispatchTests: XCTestCase {
    func testStartQueuesEveryReadyJobAndSendsNothingWithoutWorkers() {
        var h = Harness(independentPlan(3))
        let actions = h.start()
        XCTAssertEqual(h.state.jobCounts["queued"], 3)
        XCTAssertEqual(actions.journal.map(\.kind), [], "jobs ready at the start are not journaled one by one")
        XCTAssertTrue(actions.sends.isEmpty)
        XCTAssertTrue(h.send(.tick).sends.isEmpty)
    }

    func testAWorkerGetsOnlyAsManyJobsAsFreeSlots() throws {
        let plan = independentPlan(5)
        var h = Harness(plan)
        h.start()
        let first = h.send(.workerReady("w1", slots: 2, info: info))
        XCTAssertEqual(first.sends.count, 2)
        XCTAssertEqual(first.sends.map(\.worker), ["w1", "w1"])
        XCTAssertEqual(first.sends.map(\.job.id), Array(plan.jobs.prefix(2).map(\.id)))  // plan order
        XCTAssertEqual(first.sends[0].deadline, h.now + 3)  // 1 s × liveness 3
        XCTAssertEqual(first.sends[0].job.leaseSeconds, 3)
        XCTAssertEqual(first.sends[0].job.attempt, 1)
        XCTAssertNotEqual(first.sends[0].job.lease, first.sends[1].job.lease)
        XCTAssertEqual(first.journal.map(\.kind), [.leased, .leased])
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 0)
        XCTAssertTrue(h.send(.tick).sends.isEmpty)

        let job = first.sends[0].job
        let done = h.send(.result("w1", lease: job.lease, record: okRecord(job), artifact: nil))
        XCTAssertEqual(done.records.map(\.id), [job.id])
        XCTAssertEqual(done.journal.first?.kind, .completed)
        XCTAssertEqual(done.sends.count, 1)  // the freed slot is used at once
        XCTAssertEqual(done.sends[0].job.id, plan.jobs[2].id)

        let second = h.send(.workerReady("w2", slots: 1, info: info))
        XCTAssertEqual(second.sends.map(\.worker), ["w2"])
        XCTAssertEqual(h.state.jobCounts["running"], 3)
        XCTAssertEqual(h.state.jobCounts["done"], 1)
        XCTAssertEqual(h.state.jobCounts["queued"], 1)
    }

    func testJobsAreSpreadRoundRobin() throws {
        // One guide training job, then four jobs that become ready together.
        let plan = makePlan("""
            tasks: [t]
            targets: [{family: fcn, depth: [1, 2, 3, 4]}]
            guides: [{family: cnn}]
            conditions: [guided]
            guide_states: [trained]
            """)
        var h = Harness(plan)
        h.start()
        let training = try XCTUnwrap(h.send(.workerReady("w1", slots: 3, info: info)).sends.first).job
        h.send(.workerReady("w2", slots: 3, info: info))
        let sent = h.send(.result("w1", lease: training.lease, record: okRecord(training), artifact: hashA)).sends
        // w1 was queued first (it kept free slots after taking the training job), then turns alternate.
        XCTAssertEqual(sent.map(\.worker), ["w1", "w2", "w1", "w2"])
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 1)
        XCTAssertEqual(h.state.freeSlots(of: "w2"), 1)
    }

    func testTrainedGuideJobWaitsForItsGuideAndGetsTheCheckpointHash() throws {
        let plan = guidePlan(untrainedToo: true)
        XCTAssertEqual(plan.count, 3)
        var h = Harness(plan)
        h.start()
        let sent = h.send(.workerReady("w1", slots: 4, info: info)).sends
        // The guide's training job and the untrained-guide job run; the trained-guide job waits.
        XCTAssertEqual(Set(sent.map(\.job.spec.guideState)), [nil, .untrained])
        XCTAssertEqual(h.state.jobCounts["waiting"], 1)
        let training = try XCTUnwrap(sent.first { $0.job.spec.condition == .baseline }).job
        XCTAssertNil(training.guideArtifact)
        let done = h.send(.result("w1", lease: training.lease, record: okRecord(training), artifact: hashA))
        XCTAssertEqual(done.records.first?.artifact, hashA)
        XCTAssertEqual(done.journal.map(\.kind), [.completed, .queued, .leased])
        let dependent = try XCTUnwrap(done.sends.first).job
        XCTAssertEqual(dependent.spec.guideState, .trained)
        XCTAssertEqual(dependent.guideArtifact, hashA)
    }

    func testPermanentFailureOfTheGuideFailsItsDependents() throws {
        var h = Harness(guidePlan())
        h.start()
        let training = try XCTUnwrap(h.send(.workerReady("w1", slots: 2, info: info)).sends.first).job
        let actions = h.send(.failed("w1", lease: training.lease, reason: "bad config", retryable: false))
        XCTAssertTrue(actions.requeues.isEmpty)
        XCTAssertEqual(actions.records.count, 2)
        XCTAssertEqual(actions.records[0].status, .failed(error: "bad config", retryable: false))
        guard case .failed(let error, false) = actions.records[1].status else { return XCTFail() }
        XCTAssertTrue(error.hasPrefix("dependency failed"), error)
        XCTAssertEqual(actions.records[1].worker.id, "coordinator")
        XCTAssertTrue(h.state.isFinished)
        XCTAssertTrue(actions.sends.isEmpty)
    }

    func testAGuideWithoutCheckpointCannotFeedItsDependents() throws {
        var h = Harness(guidePlan())
        h.start()
        let training = try XCTUnwrap(h.send(.workerReady("w1", slots: 2, info: info)).sends.first).job
        let actions = h.send(.result("w1", lease: training.lease, record: okRecord(training), artifact: nil))
        XCTAssertEqual(actions.records.count, 2)
        guard case .failed(let error, _) = actions.records[1].status else { return XCTFail() }
        XCTAssertTrue(error.contains("produced no checkpoint"), error)
    }

    func testResumeSkipsDoneJobsAndFeedsDependentsFromStoredOutcomes() throws {
        let plan = guidePlan()
        let training = plan.jobs[0].id
        var h = Harness(plan, completed: [training: JobOutcome(status: .ok, artifact: hashA)])
        h.start()
        let sent = h.send(.workerReady("w1", slots: 2, info: info)).sends
        XCTAssertEqual(sent.map(\.job.id), [plan.jobs[1].id])
        XCTAssertEqual(sent[0].job.guideArtifact, hashA)

        var failedBefore = Harness(plan, completed: [training: JobOutcome(status: .failed(error: "x", retryable: false))])
        let actions = failedBefore.start()
        XCTAssertEqual(actions.records.map(\.id), [plan.jobs[1].id])
        XCTAssertTrue(failedBefore.state.isFinished)

        var all = Harness(independentPlan(2), completed: Dictionary(uniqueKeysWithValues: independentPlan(2).jobs.map { ($0.id, JobOutcome(status: .ok)) }))
        XCTAssertTrue(all.start().isEmpty)
        XCTAssertTrue(all.state.isFinished)
        XCTAssertTrue(all.send(.workerReady("w1", slots: 2, info: info)).sends.isEmpty)
    }

    func testStatusReplyListsWorkersAndProgress() throws {
        var h = Harness(independentPlan(2))
        h.start()
        let job = try XCTUnwrap(h.send(.workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(1_001, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 40, totalSteps: 100, trainLoss: 0.5)]))
        let reply = h.state.statusReply
        XCTAssertEqual(reply.jobs["running"], 1)
        XCTAssertEqual(reply.jobs["queued"], 1)
        XCTAssertEqual(reply.workers.map(\.worker), ["w1"])
        XCTAssertEqual(reply.workers[0].leases.first?.step, 40)
    }

    /// A worker's guide cache counters: from its READY, replaced by each heartbeat that carries them, kept through one
    /// that does not (the coordinator's own format, an older worker's), and per worker.
    func testStatusReplyCarriesEachWorkersLatestGuideCacheCounters() throws {
        var h = Harness(independentPlan(2))
        h.start()
        var withCache = info
        withCache.guideCache = GuideCacheStatistics(budgetBytes: 1024)
        h.send(.workerReady("w1", slots: 1, info: withCache))
        h.send(.workerReady("w2", slots: 1, info: info))
        XCTAssertEqual(h.state.statusReply.workers.map(\.guideCache), [GuideCacheStatistics(budgetBytes: 1024), nil])
        let later = GuideCacheStatistics(hits: 2, misses: 1, entries: 1, bytes: 512, budgetBytes: 1024)
        h.at(1_001, .heartbeat("w1", leases: [], guideCache: later))
        XCTAssertEqual(h.state.statusReply.workers.map(\.guideCache), [later, nil])
        h.at(1_002, .heartbeat("w1", leases: []))
        XCTAssertEqual(h.state.statusReply.workers.first?.guideCache, later, "a heartbeat without counters keeps the last ones")
    }
}

final class ResumeFromStoreTests: XCTestCase {
    func testResumingFromAStoreSkipsRecordedJobsAndKeepsSpentRetries() throws {
        let yaml = "tasks: [t]\ntargets: [{family: fcn}]\nseeds: 2\n"
        let plan = makePlan(yaml)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coord-\(UUID().uuidString)")
        let store = try ResultStore.open(at: dir, manifestYAML: yaml, plan: plan)
        var h = Harness(plan, config: SchedulingPolicy(maxRetries: 1))
        let started = h.start()
        try store.append(started.journal)
        let sent = h.send(.workerReady("w1", slots: 2, info: info))
        try store.append(sent.journal)
        let (a, b) = (sent.sends[0].job, sent.sends[1].job)
        let done = h.send(.result("w1", lease: a.lease, record: okRecord(a), artifact: nil))
        for record in done.records { try store.record(record) }
        let failed = h.send(.failed("w1", lease: b.lease, reason: "flaky", retryable: true))
        try store.append(failed.journal)

        // Restart: only b is left, and it has one retry spent.
        let reopened = try ResultStore.open(at: dir, manifestYAML: yaml, plan: plan)
        var resumed = CoordinatorState(plan: plan, resumingFrom: reopened, config: SchedulingPolicy(maxRetries: 1))
        _ = resumed.start(now: 0)
        let again = resumed.handle(.workerReady("w1", slots: 2, info: info), now: 0).sends
        XCTAssertEqual(again.map(\.job.id), [b.id])
        XCTAssertEqual(again[0].job.attempt, 2)
        let final = resumed.handle(.failed("w1", lease: again[0].job.lease, reason: "flaky", retryable: true), now: 1)
        XCTAssertEqual(final.records.count, 1)  // budget exhausted across the restart
        XCTAssertTrue(resumed.isFinished)
    }
}
