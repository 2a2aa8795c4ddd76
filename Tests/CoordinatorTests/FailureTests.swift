import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

final class FailureTests: XCTestCase {
    func testHeartbeatsKeepALeaseAliveAndSilenceExpiresIt() throws {
        var h = Harness(independentPlan(1))
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        let beat = LeaseProgress(lease: job.lease, step: 1)
        h.at(2, .heartbeat("w1", leases: [beat]))
        XCTAssertTrue(h.at(4.5, .tick).requeues.isEmpty)  // would have expired at 3 without the heartbeat
        h.at(4.6, .heartbeat("w1", leases: [beat]))
        XCTAssertTrue(h.at(7.5, .tick).requeues.isEmpty)
        let expired = h.at(7.7, .tick)  // last heartbeat 4.6 + 3 s
        XCTAssertEqual(expired.requeues.map(\.0), [job.id])
        XCTAssertEqual(expired.requeues.first?.1, .seconds(1))
        XCTAssertEqual(expired.journal.map(\.kind), [.requeued])
        XCTAssertTrue(expired.journal[0].reason?.contains("lease expired") ?? false)
        XCTAssertTrue(expired.drops.contains { $0.contains("presumed dead") })  // the worker went silent too
        XCTAssertNil(h.state.freeSlots(of: "w1"))
        // After the backoff the job goes to a live worker, as attempt 2.
        h.at(8, .workerReady("w2", slots: 1, info: info))
        XCTAssertTrue(h.at(8.5, .tick).sends.isEmpty)
        let retry = h.at(8.8, .tick).sends
        XCTAssertEqual(retry.map(\.worker), ["w2"])
        XCTAssertEqual(retry.first?.job.attempt, 2)
        XCTAssertEqual(retry.first?.job.id, job.id)
    }

    func testAHungJobExpiresWhileItsWorkerStaysAlive() throws {
        var h = Harness(independentPlan(1))
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(2, .heartbeat("w1", leases: []))  // alive, but not reporting the lease
        let expired = h.at(3.1, .tick)
        XCTAssertEqual(expired.requeues.map(\.0), [job.id])
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 0)  // the slot is presumably still busy
        // The slow worker finally reports: its slot comes back, and the first result wins.
        let late = h.at(3.5, .result("w1", lease: job.lease, record: okRecord(job), artifact: nil))
        XCTAssertEqual(late.records.map(\.id), [job.id])
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 1)
        XCTAssertTrue(h.at(10, .tick).sends.isEmpty)  // the backed-off copy is not run again
        XCTAssertTrue(h.state.isFinished)
    }

    func testRetryableFailuresBackOffExponentiallyThenFailForGood() throws {
        var h = Harness(independentPlan(1), config: SchedulingPolicy(leaseTimeout: .seconds(100), maxRetries: 3))
        h.start()
        var job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        var backoffs: [Duration] = []
        var time = 0.0
        for attempt in 1...3 {
            XCTAssertEqual(job.attempt, attempt)
            let failed = h.at(time, .failed("w1", lease: job.lease, reason: "cuda oom", retryable: true))
            XCTAssertTrue(failed.records.isEmpty)
            backoffs += failed.requeues.map(\.1)
            time += failed.requeues[0].1.components.seconds == 0 ? 0 : Double(failed.requeues[0].1.components.seconds)
            job = try XCTUnwrap(h.at(time, .tick).sends.first, "retry \(attempt) not dispatched").job
        }
        XCTAssertEqual(backoffs, [.seconds(1), .seconds(2), .seconds(4)])
        XCTAssertEqual(job.attempt, 4)
        let final = h.at(time, .failed("w1", lease: job.lease, reason: "cuda oom", retryable: true))
        XCTAssertTrue(final.requeues.isEmpty)
        XCTAssertEqual(final.records.count, 1)
        guard case .failed(let error, false) = final.records[0].status else { return XCTFail() }
        XCTAssertTrue(error.contains("cuda oom") && error.contains("4 attempts"), error)
        XCTAssertEqual(final.records[0].worker.id, "w1")
        XCTAssertEqual(final.journal.last?.kind, .failed)
        XCTAssertTrue(h.state.isFinished)
    }

    func testBackoffIsCapped() throws {
        var h = Harness(independentPlan(1), config: SchedulingPolicy(
            leaseTimeout: .seconds(100), maxRetries: 10, backoffBase: .seconds(1), backoffMax: .seconds(5)))
        h.start()
        var job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        var backoffs: [Duration] = []
        for _ in 0..<5 {
            backoffs += h.send(.failed("w1", lease: job.lease, reason: "x", retryable: true)).requeues.map(\.1)
            job = try XCTUnwrap(h.at(h.now + 5, .tick).sends.first).job
        }
        XCTAssertEqual(backoffs, [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    func testPermanentFailureIsRecordedNotRetried() throws {
        var h = Harness(independentPlan(2))
        h.start()
        let job = try XCTUnwrap(h.send(.workerReady("w1", slots: 1, info: info)).sends.first).job
        let actions = h.send(.failed("w1", lease: job.lease, reason: "unknown family", retryable: false))
        XCTAssertEqual(actions.records.map(\.status), [.failed(error: "unknown family", retryable: false)])
        XCTAssertTrue(actions.requeues.isEmpty)
        XCTAssertEqual(actions.sends.count, 1)  // the slot goes to the next job
        XCTAssertNotEqual(actions.sends[0].job.id, job.id)
    }

    func testLateDuplicateResultIsDroppedAndFreesTheSlot() throws {
        var h = Harness(independentPlan(2))
        h.start()
        let first = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(0, .workerReady("w2", slots: 1, info: info))
        h.at(2, .heartbeat("w2", leases: h.state.statusReply.workers.first { $0.worker == "w2" }!.leases))
        h.at(2, .heartbeat("w1", leases: []))
        h.at(3.5, .tick)  // w1's lease expired (its worker is alive)
        h.at(4, .heartbeat("w1", leases: []))
        h.at(4, .heartbeat("w2", leases: []))
        // w2 finishes its own job, then gets the retried first job.
        let w2Job = try XCTUnwrap(h.state.statusReply.workers.first { $0.worker == "w2" }?.leases.first?.lease)
        let otherID = try XCTUnwrap(h.state.job(holding: w2Job))
        var otherRecord = okRecord(first)
        otherRecord.id = otherID
        otherRecord.spec = h.state.plan[otherID]!.spec
        h.at(4.2, .result("w2", lease: w2Job, record: otherRecord, artifact: nil))
        let retry = try XCTUnwrap(h.at(4.6, .tick).sends.first)
        XCTAssertEqual(retry.worker, "w2")
        XCTAssertEqual(retry.job.id, first.id)
        // The slow first worker's result arrives first and wins ...
        let late = h.at(5, .result("w1", lease: first.lease, record: okRecord(first), artifact: nil))
        XCTAssertEqual(late.records.map(\.id), [first.id])
        // ... and the retry's result is a duplicate: dropped, but w2's slot is free again.
        let duplicate = h.at(6, .result("w2", lease: retry.job.lease, record: okRecord(retry.job, worker: "w2"), artifact: nil))
        XCTAssertTrue(duplicate.records.isEmpty)
        XCTAssertTrue(duplicate.drops.contains { $0.contains("first result wins") })
        XCTAssertEqual(h.state.freeSlots(of: "w2"), 1)
        XCTAssertTrue(h.state.isFinished)
    }

    func testInvalidMessagesAreDroppedOrRefused() throws {
        var h = Harness(independentPlan(1))
        h.start()
        let job = try XCTUnwrap(h.send(.workerReady("w1", slots: 1, info: info)).sends.first).job
        // A heartbeat from a stranger: refused (it should say READY).
        XCTAssertEqual(h.send(.heartbeat("ghost", leases: [])).refusals, ["ghost"])
        // A failure for a lease nobody holds.
        XCTAssertEqual(h.send(.failed("w1", lease: LeaseID(rawValue: "nope"), reason: "x", retryable: true)).drops.count, 1)
        // Someone else's lease.
        h.send(.workerReady("w2", slots: 0, info: info))
        let stolen = h.send(.result("w2", lease: job.lease, record: okRecord(job), artifact: nil))
        XCTAssertTrue(stolen.records.isEmpty)
        XCTAssertEqual(stolen.drops.count, 1)
        // A result for a job outside the plan.
        var foreign = okRecord(job)
        foreign.id = JobID(rawValue: "0000000000000000")
        let outside = h.send(.result("w1", lease: job.lease, record: foreign, artifact: nil))
        XCTAssertTrue(outside.records.isEmpty)
        XCTAssertTrue(outside.drops[0].contains("not in the plan"))
        XCTAssertEqual(outside.requeues.map(\.0), [job.id])  // the lease's job is retried
        // The same result twice under one lease: second dropped.
        let retry = try XCTUnwrap(h.at(h.now + 1, .tick).sends.first { $0.job.id == job.id }).job
        XCTAssertEqual(h.send(.result("w1", lease: retry.lease, record: okRecord(retry), artifact: nil)).records.count, 1)
        XCTAssertEqual(h.send(.result("w1", lease: retry.lease, record: okRecord(retry), artifact: nil)).records.count, 0)
    }

    func testDisconnectRequeuesAtOnceWithoutSpendingARetry() throws {
        var h = Harness(independentPlan(1))
        h.start()
        let job = try XCTUnwrap(h.send(.workerReady("w1", slots: 1, info: info)).sends.first).job
        let gone = h.send(.disconnect("w1"))
        XCTAssertEqual(gone.requeues.map(\.1), [.zero])
        XCTAssertEqual(gone.journal.map(\.kind), [.queued])
        let again = try XCTUnwrap(h.send(.workerReady("w2", slots: 1, info: info)).sends.first).job
        XCTAssertEqual(again.id, job.id)
        XCTAssertEqual(again.attempt, 1)
        // A result under the old lease still counts if it comes first.
        XCTAssertEqual(h.send(.result("w1", lease: job.lease, record: okRecord(job), artifact: nil)).records.count, 1)
        XCTAssertEqual(h.send(.result("w2", lease: again.lease, record: okRecord(again), artifact: nil)).records.count, 0)
        XCTAssertEqual(h.state.freeSlots(of: "w2"), 1)
    }
}
