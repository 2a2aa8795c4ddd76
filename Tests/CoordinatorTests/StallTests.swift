import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// Liveness when the coordinator itself stalls, and when a worker it gave up on turns out to be alive.
final class StallTests: XCTestCase {
    func testAStallOfTheCoordinatorIsNotHeldAgainstItsWorkers() throws {
        var h = Harness(independentPlan(1))  // 3 s leases
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(1, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 1)]))
        // The coordinator does not run from 1.5 s to 9.5 s; the first tick after it would expire everything.
        h.state.excuse(stall: 8, now: 9.5)
        let resumed = h.at(9.5, .tick)
        XCTAssertTrue(resumed.requeues.isEmpty, "\(resumed)")
        XCTAssertFalse(resumed.drops.contains { $0.contains("presumed dead") })
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 0)
        // The excuse covers the stall only: silence after it still expires the lease, 3 s after the last
        // heartbeat as shifted (1 + 8 = 9), not later.
        XCTAssertTrue(h.at(11.9, .tick).requeues.isEmpty)
        XCTAssertEqual(h.at(12.1, .tick).requeues.map(\.0), [job.id])
    }

    func testAnExcuseNeverPushesDeadlinesBeyondAFreshHeartbeat() throws {
        var h = Harness(independentPlan(1))
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(5, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 1)]))  // deadline 8
        h.state.excuse(stall: 100, now: 6)  // at most as if heard at 6: deadline 9
        XCTAssertTrue(h.at(8.9, .tick).requeues.isEmpty)
        XCTAssertEqual(h.at(9.1, .tick).requeues.map(\.0), [job.id])
    }

    func testAWorkerHeardAgainAfterItsLeaseExpiredKeepsItsJob() throws {
        var h = Harness(independentPlan(2))
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        let expired = h.at(3.5, .tick)  // silent: worker dropped, lease expired, retry in 1 s
        XCTAssertEqual(expired.requeues.map(\.0), [job.id])
        // It reconnects: READY offers no free slot (it still runs the job), its heartbeat names the lease.
        h.at(4, .workerReady("w1", slots: 0, info: info))
        let renewed = h.at(4, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 7)]))
        XCTAssertEqual(renewed.journal.map(\.kind), [.renewed])
        XCTAssertEqual(renewed.journal.first?.lease, job.lease)
        XCTAssertTrue(renewed.drops.isEmpty, "\(renewed.drops)")
        // Another worker joins after the backoff: it gets the other job, never a second copy of the first.
        let other = h.at(6, .workerReady("w2", slots: 2, info: info)).sends
        XCTAssertEqual(other.count, 1)
        XCTAssertNotEqual(other.first?.job.id, job.id)
        // The renewed lease lives on heartbeats like any other and its RESULT counts.
        h.at(6.5, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 9)]))
        XCTAssertTrue(h.at(7, .tick).sends.isEmpty)  // the backoff timer of the expiry finds the job leased
        XCTAssertTrue(h.at(8.9, .tick).requeues.isEmpty)
        XCTAssertEqual(h.at(8.9, .result("w1", lease: job.lease, record: okRecord(job), artifact: nil)).records.map(\.id), [job.id])
        XCTAssertEqual(h.state.freeSlots(of: "w1"), 1)
    }

    func testAnExpiredLeaseWhoseJobRanElsewhereIsNotRenewed() throws {
        var h = Harness(independentPlan(1), config: SchedulingPolicy(leaseTimeout: .seconds(3), backoffBase: .milliseconds(100)))
        h.start()
        let job = try XCTUnwrap(h.at(0, .workerReady("w1", slots: 1, info: info)).sends.first).job
        h.at(1, .workerReady("w2", slots: 1, info: info))
        h.at(2.5, .heartbeat("w2", leases: []))
        h.at(3.5, .tick)  // w1 silent: its lease expired
        let retry = try XCTUnwrap(h.at(3.7, .tick).sends.first)
        XCTAssertEqual(retry.worker, "w2")
        h.at(4, .workerReady("w1", slots: 0, info: info))
        let late = h.at(4, .heartbeat("w1", leases: [LeaseProgress(lease: job.lease, step: 7)]))
        XCTAssertTrue(late.journal.isEmpty)
        XCTAssertTrue(late.drops.contains { $0.contains("does not hold") })
    }

    func testARenewedLeaseGivesItsRetryBackOnReplay() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stall-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = independentPlan(1)
        let yaml = "tasks: [t]\ntargets: [{family: fcn}]\nseeds: 1\n"
        let id = plan.jobs[0].id
        do {
            let store = try ResultStore.open(at: dir, manifestYAML: yaml, plan: plan)
            try store.append([JournalEvent(.requeued, job: id, lease: LeaseID(rawValue: "L-1")),
                              JournalEvent(.renewed, job: id, lease: LeaseID(rawValue: "L-1")),
                              JournalEvent(.requeued, job: id, lease: LeaseID(rawValue: "L-1"))])
            XCTAssertEqual(store.failedAttempts[id], 1)
        }
        let reopened = try ResultStore.open(at: dir, manifestYAML: yaml, plan: plan)
        XCTAssertEqual(reopened.failedAttempts[id], 1)
    }
}
