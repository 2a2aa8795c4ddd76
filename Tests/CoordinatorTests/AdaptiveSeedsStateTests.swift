@testable import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// Adaptive seeds in the state machine: a cell with a constant effect stops at its initial seeds, a cell whose
/// effect flips sign with the seed runs to `max`, added jobs are journaled, and a state rebuilt from what a store
/// would hold mid-way (records, `added` events) finishes the same sweep with one record per job.
final class AdaptiveSeedsStateTests: XCTestCase {
    static let yaml = """
        tasks: [t]
        targets: [{family: fcn}]
        guides: [{family: cnn}]
        conditions: [baseline, guided]
        guide_states: [untrained, trained]
        seeds: {initial: 3, max: 6, until: decided, metric: score}
        """

    /// The made-up effect: +1 with an untrained guide (decided at 3 seeds), (−1)^seed with a trained one (never).
    static func score(_ spec: JobSpec) -> Double {
        switch spec.guideState {
        case nil: 0
        case .untrained?: 1
        case .trained?: spec.seed % 2 == 0 ? 1 : -1
        }
    }

    struct Sweep {
        var manifest: Manifest
        var initial: Plan
        var worst: Plan
        var harness: Harness
        var added: [JobID] = []

        init(completed records: [JobRecord] = [], added: Set<JobID> = []) throws {
            manifest = try Manifest.decode(yaml: AdaptiveSeedsStateTests.yaml, file: "t.yaml")
            initial = Plan(manifest)
            worst = Plan(manifest.worstCase)
            let policy = try XCTUnwrap(manifest.seedPolicy)
            let schedule = SeedSchedule(plan: worst, policy: policy, maxJobs: manifest.maxJobs, records: records)
            let completed = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.outcome) })
            let active = Set(initial.jobs.map(\.id)).union(added).union(completed.keys)
            harness = Harness(worst)
            harness.state = CoordinatorState(plan: worst, completed: completed, seeds: schedule, active: active)
            for record in records { harness.recorded[record.id] = record }
        }

        /// Runs with one worker of 4 slots, answering every JOB at once, until finished or `stopAfter` results.
        mutating func run(stopAfter: Int = .max) {
            var pending = harness.start().sends.map(\.job) + harness.send(.workerReady("w1", slots: 4, info: info)).sends.map(\.job)
            var results = 0
            while !pending.isEmpty, results < stopAfter {
                let job = pending.removeFirst()
                var record = okRecord(job, artifact: hashA)
                record.metrics = ["score": AdaptiveSeedsStateTests.score(job.spec)]
                let actions = harness.send(.result("w1", lease: job.lease, record: record, artifact: hashA))
                added += actions.journal.filter { $0.kind == .added }.map(\.job)
                pending += actions.sends.map(\.job)
                results += 1
            }
        }

        /// Seeds recorded per arm: "baseline fcn", "baseline cnn", "guided untrained", "guided trained".
        var seedsByArm: [String: [Int]] {
            var out: [String: [Int]] = [:]
            for record in harness.recorded.values {
                let spec = record.spec
                let arm = spec.condition == .baseline ? "baseline \(spec.target.family)" : "guided \(spec.guideState!.rawValue)"
                out[arm, default: []].append(spec.seed)
            }
            return out.mapValues { $0.sorted() }
        }
    }

    func testTheDecidedCellStopsAndTheOpenOneRunsToMax() throws {
        var sweep = try Sweep()
        XCTAssertEqual(sweep.initial.count, 12, "3 seeds × (2 baselines + 2 guided)")
        XCTAssertEqual(sweep.worst.count, 24)
        sweep.run()
        XCTAssertTrue(sweep.harness.state.isFinished)
        XCTAssertEqual(sweep.seedsByArm, [
            "guided untrained": [0, 1, 2],
            "guided trained": [0, 1, 2, 3, 4, 5],
            "baseline fcn": [0, 1, 2, 3, 4, 5],
            "baseline cnn": [0, 1, 2, 3, 4, 5],  // the trained guide's training job of each added seed
        ])
        XCTAssertEqual(Set(sweep.added).count, sweep.added.count, "a job added twice")
        XCTAssertEqual(Set(sweep.added), Set(sweep.harness.recorded.keys).subtracting(sweep.initial.jobs.map(\.id)),
                       "exactly the jobs beyond the initial plan are journaled as added")
        XCTAssertEqual(sweep.harness.state.seedVerdicts, [.decided, .atMax])
    }

    /// A coordinator killed while seeds are being added restarts from its store: records so far and the journal's
    /// `added` events (some of those jobs not run yet). It ends with the same jobs, each recorded once.
    func testResumingMidWayFinishesTheSameSweep() throws {
        var first = try Sweep()
        first.run(stopAfter: 15)
        XCTAssertFalse(first.added.isEmpty, "seeds were being added when it stopped")
        let pendingAdded = Set(first.added).subtracting(first.harness.recorded.keys)
        XCTAssertFalse(pendingAdded.isEmpty, "some added jobs had not run yet")

        var second = try Sweep(completed: Array(first.harness.recorded.values), added: Set(first.added))
        second.run()
        XCTAssertTrue(second.harness.state.isFinished)
        XCTAssertTrue(pendingAdded.isSubset(of: second.harness.recorded.keys))
        XCTAssertTrue(Set(second.added).isDisjoint(with: first.added), "a job added again after the restart")
        XCTAssertEqual(second.seedsByArm["guided untrained"], [0, 1, 2])
        XCTAssertEqual(second.seedsByArm["guided trained"], [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(second.seedsByArm["baseline fcn"], [0, 1, 2, 3, 4, 5])
    }
}
