@testable import Coordinator
import Store
import Sweep
import Wire
import XCTest

/// State-machine behaviour the service loop relies on: which jobs must ship a checkpoint, pausing
/// dispatch for a drain, and slots freed by jobs of an earlier coordinator run.
final class ServiceSupportTests: XCTestCase {
    func testOnlyJobsOthersDependOnAreAskedToSaveTheirCheckpoint() throws {
        var h = Harness(guidePlan(untrainedToo: true))
        h.start()
        let sent = h.send(.workerReady("w1", slots: 4, info: info)).sends.map(\.job)
        let training = try XCTUnwrap(sent.first { $0.spec.condition == .baseline })
        XCTAssertTrue(training.saveCheckpoint, "the guide's training job feeds the trained-guide job")
        XCTAssertEqual(sent.filter { $0.spec.condition != .baseline }.map(\.saveCheckpoint), [false])
        let dependent = try XCTUnwrap(h.send(.result("w1", lease: training.lease, record: okRecord(training), artifact: hashA)).sends.first)
        XCTAssertFalse(dependent.job.saveCheckpoint)
    }

    func testPausedDispatchSendsNothingButStillRecordsResults() throws {
        var h = Harness(independentPlan(3))
        h.start()
        let first = try XCTUnwrap(h.send(.workerReady("w1", slots: 1, info: info)).sends.first).job
        h.state.isDispatchPaused = true
        let actions = h.send(.result("w1", lease: first.lease, record: okRecord(first), artifact: nil))
        XCTAssertEqual(actions.records.map(\.id), [first.id])
        XCTAssertTrue(actions.sends.isEmpty, "a draining coordinator hands out no new job")
        XCTAssertEqual(h.state.activeLeaseCount, 0)
        h.state.isDispatchPaused = false
        XCTAssertEqual(h.send(.tick).sends.count, 1)
    }

    func testAResultUnderALeaseOfAnEarlierRunFreesTheSlotItHeld() throws {
        // The worker ran a job for a coordinator that died; it introduced itself to this one with 0 free
        // slots (its only slot busy). When that old job's RESULT arrives, the slot is free again.
        var h = Harness(independentPlan(2), config: SchedulingPolicy(leasePrefix: "Lnew"))
        h.start()
        XCTAssertTrue(h.send(.workerReady("w1", slots: 0, info: info)).sends.isEmpty)
        let oldJob = h.state.plan.jobs[0]
        let old = JobAssignment(id: oldJob.id, spec: oldJob.spec, lease: LeaseID(rawValue: "Lold-7"), attempt: 1, leaseSeconds: 3)
        h.state.earlierLeases[old.lease] = ("w1", oldJob.id)  // the journal says the earlier run leased it to w1
        // The same lease reported by another worker id counts for nothing.
        h.send(.workerReady("w2", slots: 0, info: info))
        XCTAssertTrue(h.send(.result("w2", lease: old.lease, record: okRecord(old, worker: "w2"), artifact: nil)).records.isEmpty)
        let actions = h.send(.result("w1", lease: old.lease, record: okRecord(old), artifact: nil))
        XCTAssertEqual(actions.records.map(\.id), [oldJob.id], "first result wins, even from an earlier run")
        XCTAssertEqual(actions.sends.map(\.job.id), [h.state.plan.jobs[1].id], "the freed slot takes the next job")
        // A lease of this run that is unknown (never issued) frees nothing.
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 0)
        let bogus = JobAssignment(id: oldJob.id, spec: oldJob.spec, lease: LeaseID(rawValue: "Lnew-999"), attempt: 1, leaseSeconds: 3)
        _ = h.send(.result("w1", lease: bogus.lease, record: okRecord(bogus), artifact: nil))
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 0)
    }
}
