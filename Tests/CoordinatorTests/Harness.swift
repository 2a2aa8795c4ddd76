@testable import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

let versions = Versions(package: "test", libtorch: "2.1", protocol: 1)
let info = WorkerInfo(host: "h", versions: versions)

func makePlan(_ yaml: String) -> Plan { Plan(try! Manifest.decode(yaml: yaml, file: "t.yaml")) }

/// `count` independent baseline jobs.
func independentPlan(_ count: Int) -> Plan {
    makePlan("tasks: [t]\ntargets: [{family: fcn}]\nseeds: \(count)\n")
}

/// A guide training job and one trained-guide job depending on it (plus an untrained one when asked).
func guidePlan(untrainedToo: Bool = false) -> Plan {
    makePlan("""
        tasks: [t]
        targets: [{family: fcn}]
        guides: [{family: cnn}]
        conditions: [guided]
        guide_states: [\(untrainedToo ? "untrained, " : "")trained]
        """)
}

func okRecord(_ job: JobAssignment, worker: String = "w1", artifact: String? = nil) -> JobRecord {
    JobRecord(id: job.id, spec: job.spec, status: .ok, metrics: ["val_accuracy": 0.9], worker: WorkerRef(id: worker, host: "h"),
              versions: versions, device: "cpu", startedAt: Timestamp(secondsSince1970: 0),
              finishedAt: Timestamp(secondsSince1970: 1), artifact: artifact)
}

let hashA = String(repeating: "a", count: 64)

extension Array where Element == CoordinatorAction {
    var sends: [(job: JobAssignment, worker: WorkerID, deadline: Double)] {
        compactMap { if case .send(let job, let worker, let deadline) = $0 { return (job, worker, deadline) } else { return nil } }
    }
    var records: [JobRecord] { compactMap { if case .record(let r) = $0 { return r } else { return nil } } }
    var drops: [String] { compactMap { if case .drop(let reason) = $0 { return reason } else { return nil } } }
    var requeues: [(JobID, Duration)] { compactMap { if case .requeue(let id, let after) = $0 { return (id, after) } else { return nil } } }
    var refusals: [WorkerID] { compactMap { if case .refuse(let w, _) = $0 { return w } else { return nil } } }
    var journal: [JournalEvent] { compactMap { if case .journal(let e) = $0 { return e } else { return nil } } }
}

/// Drives a state machine and checks, on every event, that no job is recorded twice, and that for every RESULT
/// `acceptsResult` (which the service uses to write a record before the state machine counts it) predicts
/// exactly whether the state machine records it.
struct Harness {
    var state: CoordinatorState
    var now: Double = 1_000
    var recorded: [JobID: JobRecord] = [:]

    /// The tests' figures assume a 3 s lease (1 s heartbeats × liveness 3) unless they pass a config.
    init(_ plan: Plan, completed: [JobID: JobOutcome] = [:], config: SchedulingPolicy = SchedulingPolicy(leaseTimeout: .seconds(3))) {
        state = CoordinatorState(plan: plan, completed: completed, config: config)
    }

    @discardableResult
    mutating func start() -> [CoordinatorAction] { check(state.start(now: now)) }

    @discardableResult
    mutating func at(_ time: Double, _ event: CoordinatorEvent) -> [CoordinatorAction] {
        now = time
        var predicted: (JobID, Bool)?
        if case .result(let worker, let lease, let record, _) = event {
            predicted = (record.id, state.acceptsResult(from: worker, lease: lease, job: record.id))
        }
        let actions = check(state.handle(event, now: time))
        if let (job, accepts) = predicted {
            XCTAssertEqual(accepts, actions.records.contains { $0.id == job },
                           "acceptsResult disagrees with the state machine for a RESULT of job \(job)")
        }
        return actions
    }

    @discardableResult
    mutating func send(_ event: CoordinatorEvent) -> [CoordinatorAction] { at(now, event) }

    private mutating func check(_ actions: [CoordinatorAction]) -> [CoordinatorAction] {
        for record in actions.records {
            XCTAssertNil(recorded[record.id], "job \(record.id) recorded twice")
            recorded[record.id] = record
        }
        return actions
    }
}
