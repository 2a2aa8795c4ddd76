public import Store
public import Sweep
import Wire

/// The coordinator's scheduling logic as a pure state machine: events in, actions out; no sockets,
/// no clocks, no files. The service loop feeds it messages and ticks and carries out the actions.
///
/// Guarantees: a worker holds at most as many leases as the slots it offered (credit-based dispatch);
/// a job runs only after its dependencies are done, with its guide's checkpoint hash in the JOB; every
/// job gets exactly one `.record` action (first result wins); expired leases and retryable failures
/// are retried with exponential backoff up to `maxRetries`; a job whose dependency failed is recorded
/// failed. Every event costs O(log n) plus the work it causes.
///
/// Time (`now`) is seconds on a clock that never goes backwards, also used for record timestamps of
/// failures the coordinator records itself: the service loop anchors a monotonic clock at the wall time
/// once (`wallAtStart + elapsed`). Timers (lease expiry, backoff) fire only on `.tick`.
public struct CoordinatorState {
    public let plan: Plan
    public let config: SchedulingPolicy
    let leaseSeconds: Double

    enum JobState: Equatable {
        /// Waiting for this many dependencies.
        case waiting(Int)
        /// In the ready queue.
        case ready
        /// Backing off before a retry.
        case delayed
        case leased(LeaseID)
        /// Finished with a record (ok, diverged, or failed as reported by a worker).
        case done
        /// Failed permanently (the coordinator wrote the record).
        case failed
        /// In the worst-case plan of adaptive seeds but not (yet) in the sweep: never queued, never counted.
        case dormant
    }

    struct Lease {
        var job: Int
        var worker: WorkerID
        var deadline: Double
        var attempt: Int
        var progress: LeaseProgress?
        /// The holder's principal (penalties go there even after the worker is gone).
        var principal: String
    }

    struct Worker {
        var info: WorkerInfo
        var credits: Int
        var leases: Set<LeaseID> = []
        var lastSeen: Double
        /// Whether the worker is in `available` or `availableCUDA` (may hold a stale duplicate; checked on pop).
        var queued = false
    }

    var states: [JobState]
    var outcomes: [JobOutcome?]
    var failures: [Int]
    var attempts: [Int]
    var dependents: [[Int]]
    /// Jobs ready to run on any worker (CPU jobs).
    var ready = FIFO<Int>()
    /// Jobs ready to run that need a CUDA worker.
    var readyCUDA = FIFO<Int>()
    var delayed = MinHeap<Timer<Int>>()
    var leases: [LeaseID: Lease] = [:]
    var leaseTimers = MinHeap<Timer<LeaseID>>()
    var workers: [WorkerID: Worker] = [:]
    var workerTimers = MinHeap<Timer<WorkerID>>()
    /// Workers with free slots and no CUDA device.
    var available = FIFO<WorkerID>()
    /// Workers with free slots and a CUDA device.
    var availableCUDA = FIFO<WorkerID>()
    /// Leases that expired, with their worker and job, so that a late RESULT/FAILED gives the slot back.
    var expiredLeases: [LeaseID: (worker: WorkerID, job: Int)] = [:]
    /// The job and attempt of each expired lease, so that a heartbeat naming it can renew it (`renewExpired`).
    var expiredLeaseJobs: [LeaseID: (job: Int, attempt: Int)] = [:]
    /// Leases of earlier coordinator runs (from the journal) of jobs without a record: whose they were, for
    /// which job. A RESULT under such a lease counts only from that worker id, for that job.
    var earlierLeases: [LeaseID: (worker: WorkerID, job: JobID)] = [:]
    /// Penalties by principal (`WorkerInfo.principal`, else the worker id): expiries, quarantine, allowance.
    var principals: [String: PrincipalRecord] = [:]
    var quarantineTimers = MinHeap<Timer<String>>()
    /// Principals on which each job's attempts failed (expired or retryable FAILED).
    var failedOn: [Set<String>]
    var leaseCounter = 0
    var timerSequence = 0
    var finishedCount = 0
    var started = false
    /// While true, no job is sent (a draining coordinator); events are handled as usual.
    public var isDispatchPaused = false
    /// Jobs in the sweep (not dormant): the whole plan without adaptive seeds.
    public internal(set) var activeCount = 0
    /// Adaptive seeds: the cells and their finished metrics (nil: every job of the plan runs).
    var seedSchedule: SeedSchedule?
    /// Ids of the jobs in the sweep, kept only with adaptive seeds (the allocator's `active`).
    var activeJobs: Set<JobID> = []

    /// A state for `plan`, resuming after `completed` jobs (from the store) with `failedAttempts`
    /// already spent. Call `start(now:)` before feeding events.
    ///
    /// Adaptive seeds: `plan` is the worst-case plan, `seeds` its cells, and `active` the jobs in the sweep so far
    /// (the initial plan and the journal's `added` jobs); the other jobs stay dormant until the allocator adds them.
    /// Jobs with a record are always in the sweep.
    public init(plan: Plan, completed: [JobID: JobOutcome] = [:], failedAttempts: [JobID: Int] = [:],
                config: SchedulingPolicy = SchedulingPolicy(), seeds: SeedSchedule? = nil, active: Set<JobID>? = nil) {
        self.plan = plan
        self.config = config
        leaseSeconds = config.leaseTimeout.seconds
        let count = plan.count
        states = Array(repeating: .waiting(0), count: count)
        outcomes = Array(repeating: nil, count: count)
        failures = Array(repeating: 0, count: count)
        attempts = Array(repeating: 0, count: count)
        dependents = Array(repeating: [], count: count)
        failedOn = Array(repeating: [], count: count)
        seedSchedule = seeds
        for (index, id) in plan.ids.enumerated() {
            let dependency = plan.dependency(of: index)
            if let outcome = completed[id] {
                states[index] = .done
                outcomes[index] = outcome
                finishedCount += 1
            } else if let active, !active.contains(id) {
                states[index] = .dormant
            } else {
                states[index] = .waiting(dependency == nil ? 0 : 1)
            }
            if states[index] != .dormant {
                activeCount += 1
                if seeds != nil { activeJobs.insert(id) }
            }
            failures[index] = failedAttempts[id] ?? 0
            attempts[index] = failures[index]
            if let dependency { dependents[dependency].append(index) }
        }
    }

    /// Queues every job whose dependencies are done, fails those whose dependencies failed, and
    /// dispatches to nobody yet (no workers). Writes no `queued` journal event for these jobs (see `enqueue`).
    public mutating func start(now: Double) -> [CoordinatorAction] {
        guard !started else { return [] }
        started = true
        var actions: [CoordinatorAction] = []
        for index in plan.ids.indices {
            guard case .waiting = states[index] else { continue }
            var remaining = 0
            var broken: (JobID, String)?
            if let at = plan.dependency(of: index) {
                if let outcome = outcomes[at] {
                    if !outcome.canFeedDependents { broken = (plan.ids[at], Self.unusable(outcome)) }
                } else {
                    remaining += 1
                }
            }
            if let (dependency, why) = broken {
                failPermanently(index, reason: "dependency failed: guide training job \(dependency) \(why)",
                                worker: nil, now: now, into: &actions)
            } else if remaining == 0 {
                enqueue(index, into: &actions, journal: false)
            } else {
                states[index] = .waiting(remaining)
            }
        }
        allocateSeeds(cells: nil, now: now, into: &actions)
        return actions
    }

    /// Handles one event at time `now`; returns what to do, in order.
    public mutating func handle(_ event: CoordinatorEvent, now: Double) -> [CoordinatorAction] {
        var actions: [CoordinatorAction] = []
        if !started { actions += start(now: now) }
        switch event {
        case .workerReady(let worker, let slots, let info):
            workerReady(worker, slots: slots, info: info, now: now)
        case .heartbeat(let worker, let progress, let guideCache):
            heartbeat(worker, progress: progress, guideCache: guideCache, now: now, into: &actions)
        case .result(let worker, let lease, let record, let artifact):
            result(worker, lease: lease, record: record, artifact: artifact, now: now, into: &actions)
        case .failed(let worker, let lease, let reason, let retryable):
            failed(worker, lease: lease, reason: reason, retryable: retryable, now: now, into: &actions)
        case .tick:
            fireTimers(now: now, into: &actions)
        case .disconnect(let worker):
            disconnect(worker, into: &actions)
        }
        dispatch(now: now, into: &actions)
        return actions
    }

    /// Whether every job has a record.
    public var isFinished: Bool { finishedCount == activeCount }

    static func unusable(_ outcome: JobOutcome) -> String {
        if case .failed(let error, _) = outcome.status { return "failed: \(error)" }
        return "produced no checkpoint"
    }

    mutating func nextSequence() -> Int {
        timerSequence += 1
        return timerSequence
    }
}

extension CoordinatorState {
    /// A state for `plan` resuming from what `store` holds: its finished jobs and the failed attempts
    /// its journal records, and the leases of earlier runs it found at open (`ResultStore.leasesAtOpen`).
    /// With `retryingFailed` (`--retry-failed`), jobs recorded failed run again: they are not completed, their
    /// retry budget starts afresh (attempt numbers go on), and their new record replaces the failed one.
    /// `seeds` and `active`: adaptive seeds, as for `init(plan:completed:…)`.
    public init(plan: Plan, resumingFrom store: ResultStore, config: SchedulingPolicy = SchedulingPolicy(),
                retryingFailed: Bool = false, seeds: SeedSchedule? = nil, active: Set<JobID>? = nil) {
        var completed = store.completed
        if retryingFailed { completed = completed.filter { !$0.value.isSupersedable } }
        self.init(plan: plan, completed: completed, failedAttempts: store.failedAttempts, config: config, seeds: seeds, active: active)
        if retryingFailed {
            for (index, id) in plan.ids.enumerated() where store.completed[id]?.isSupersedable == true { failures[index] = 0 }
        }
        for event in store.leasesAtOpen {
            guard let lease = event.lease, let worker = event.worker, completed[event.job] == nil else { continue }
            earlierLeases[lease] = (worker, event.job)
        }
    }
}
