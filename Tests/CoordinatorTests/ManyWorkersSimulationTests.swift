import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// A thousand workers heartbeating while they hold leases, and a coordinator that stops running for 6 s in the
/// middle (a loaded machine) and excuses that stall: no lease is lost, every job gets one record, and the jobs
/// spread evenly.
final class ManyWorkersSimulationTests: XCTestCase {
    func testAThousandWorkersKeepTheirLeasesThroughACoordinatorStallAndShareTheWorkEvenly() throws {
        let workers = (0..<1_000).map { String(format: "w%04d", $0) }
        let slots = 2, jobDuration = 2.0, jobsPerSlot = 3
        var h = Harness(independentPlan(workers.count * slots * jobsPerSlot))  // 3 s leases
        h.start()
        var running: [LeaseID: (worker: WorkerID, finishAt: Double)] = [:]
        var completed: [WorkerID: Int] = [:]
        var requeues = 0, deadWorkers = 0
        func apply(_ actions: [CoordinatorAction], at time: Double) {
            for send in actions.sends { running[send.job.lease] = (send.worker, time + jobDuration) }
            requeues += actions.journal.filter { $0.kind == .requeued }.count
            deadWorkers += actions.drops.filter { $0.contains("presumed dead") }.count
            for record in actions.records { completed[record.worker.id, default: 0] += 1 }
        }
        var jobsOf: [LeaseID: JobAssignment] = [:]
        func remember(_ actions: [CoordinatorAction]) -> [CoordinatorAction] {
            for send in actions.sends { jobsOf[send.job.lease] = send.job }
            return actions
        }
        for (index, worker) in workers.enumerated() {
            let time = Double(index) / 1_000
            apply(remember(h.at(time, .workerReady(worker, slots: slots, info: info))), at: time)
        }
        // What workers send, in the order sent; the coordinator reads it when it runs.
        var inbox: [(time: Double, event: CoordinatorEvent)] = []
        let stall = 3.0..<9.0
        var time = 1.0
        var nextBeat = Dictionary(uniqueKeysWithValues: workers.enumerated().map { ($1, 1 + Double($0 % 10) / 10) })
        while !h.state.isFinished {
            XCTAssertLessThan(time, 60, "no progress")
            if time >= 60 { return }
            for (lease, run) in running.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where run.finishAt <= time {
                running[lease] = nil
                inbox.append((time, .result(run.worker, lease: lease, record: okRecord(jobsOf[lease]!, worker: run.worker), artifact: nil)))
            }
            for worker in workers where nextBeat[worker]! <= time {
                nextBeat[worker]! += 1
                // Heartbeats sent while the coordinator does not read die with the connections the workers give
                // up on (RESULTs wait in their outboxes): at the resume, the coordinator has heard nothing for 6 s.
                if stall.contains(time) { continue }
                let leases = running.filter { $0.value.worker == worker }.keys.sorted { $0.rawValue < $1.rawValue }
                inbox.append((time, .heartbeat(worker, leases: leases.map { LeaseProgress(lease: $0, step: 1) })))
            }
            if !stall.contains(time) {
                if abs(time - stall.upperBound) < 1e-9 { h.state.excuse(stall: stall.upperBound - stall.lowerBound, now: time) }
                for (_, event) in inbox { apply(remember(h.at(time, event)), at: time) }
                inbox.removeAll()
                apply(remember(h.at(time, .tick)), at: time)
            }
            time = (time * 10 + 1).rounded() / 10
        }
        XCTAssertEqual(requeues, 0, "a lease of a live worker expired")
        XCTAssertEqual(deadWorkers, 0, "a live worker was presumed dead")
        XCTAssertEqual(completed.values.reduce(0, +), h.state.plan.count)
        let counts = workers.map { completed[$0] ?? 0 }
        XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, 1, "uneven: from \(counts.min()!) to \(counts.max()!) jobs per worker")
    }
}
