import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// Randomized runs: workers that crash, hang, fail, reconnect and send duplicates. Whatever happens,
/// every job ends with exactly one record, no worker ever holds more jobs than it offered, and no
/// trained-guide job starts before its guide's checkpoint exists.
final class SimulationTests: XCTestCase {
    func testChaoticRunsRecordEveryJobExactlyOnce() throws {
        let plan = makePlan("""
            tasks: [t]
            seeds: 3
            targets: [{family: fcn, depth: [1, 2]}]
            guides: [{family: cnn}, {family: resnet}]
            conditions: [baseline, guided, distill]
            guide_states: [untrained, trained]
            """)
        for seed in 0..<20 {
            try simulate(plan, seed: UInt64(seed))
        }
    }

    private struct Running {
        var job: JobAssignment
        var worker: WorkerID
        var finishAt: Double
    }

    private func simulate(_ plan: Plan, seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        func chance(_ p: Double) -> Bool { Double(rng.next() % 1_000_000) / 1_000_000 < p }
        var h = Harness(plan, config: SchedulingPolicy(leaseTimeout: .seconds(3), maxRetries: 2, backoffBase: .milliseconds(500)))
        h.start()
        let slots: [WorkerID: Int] = ["a": 2, "b": 1, "c": 3]
        var alive: Set<WorkerID> = []
        var running: [LeaseID: Running] = [:]
        var trainedGuides: Set<JobID> = []
        var time = 0.0

        func apply(_ actions: [CoordinatorAction]) {
            for record in actions.records where record.artifact != nil { trainedGuides.insert(record.id) }
            for send in actions.sends {
                if send.job.spec.guideState == .trained {
                    let guide = try! XCTUnwrap(send.job.spec.guideTrainingSpec?.id)
                    XCTAssertTrue(trainedGuides.contains(guide), "seed \(seed): trained-guide job sent before its guide finished")
                    XCTAssertNotNil(send.job.guideArtifact)
                }
                running[send.job.lease] = Running(job: send.job, worker: send.worker, finishAt: time + Double(rng.next() % 5) + 0.5)
            }
            for (worker, limit) in slots {
                XCTAssertLessThanOrEqual(running.values.filter { $0.worker == worker && alive.contains(worker) }.count,
                                         limit + 0, "seed \(seed): \(worker) over its slots")
            }
        }

        for worker in slots.keys.sorted() {
            alive.insert(worker)
            apply(h.at(time, .workerReady(worker, slots: slots[worker]!, info: info)))
        }
        var steps = 0
        while !h.state.isFinished {
            steps += 1
            XCTAssertLessThan(steps, 20_000, "seed \(seed): no progress")
            if steps >= 20_000 { return }
            time += 0.25
            // Heartbeats from live workers for what they run (hung jobs stay silent).
            for worker in alive.sorted() {
                let leases = running.filter { $0.value.worker == worker && !$0.value.job.spec.seed.isMultiple(of: 7) }
                    .map { LeaseProgress(lease: $0.key, step: 1) }
                apply(h.at(time, .heartbeat(worker, leases: leases.sorted { $0.lease.rawValue < $1.lease.rawValue })))
            }
            // Jobs that are due finish: ok, retryable failure, permanent failure, sometimes twice.
            for (lease, run) in running.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where run.finishAt <= time {
                running[lease] = nil
                guard alive.contains(run.worker) else { continue }
                let roll = rng.next() % 100
                if roll < 15 {
                    apply(h.at(time, .failed(run.worker, lease: lease, reason: "flaky", retryable: true)))
                } else if roll < 18 {
                    apply(h.at(time, .failed(run.worker, lease: lease, reason: "broken", retryable: false)))
                } else {
                    let isGuideTraining = run.job.spec.condition == .baseline
                    let record = okRecord(run.job, worker: run.worker, artifact: isGuideTraining ? hashA : nil)
                    apply(h.at(time, .result(run.worker, lease: lease, record: record, artifact: nil)))
                    if roll > 95 { apply(h.at(time, .result(run.worker, lease: lease, record: record, artifact: nil))) }
                }
            }
            // Crashes and restarts.
            if chance(0.01), let victim = alive.sorted().randomElement(using: &rng) {
                alive.remove(victim)
                for (lease, run) in running where run.worker == victim { running[lease] = nil }
                if chance(0.5) { apply(h.at(time, .disconnect(victim))) }
            }
            for worker in slots.keys.sorted() where !alive.contains(worker) && chance(0.05) {
                alive.insert(worker)
                apply(h.at(time, .workerReady(worker, slots: slots[worker]!, info: info)))
            }
            apply(h.at(time, .tick))
        }
        XCTAssertEqual(h.recorded.count, plan.count, "seed \(seed)")
        XCTAssertEqual(Set(h.recorded.keys), Set(plan.jobs.map(\.id)))
    }
}
