import Store
import Sweep
import Wire

/// Whose a lease is, as far as a RESULT or FAILED naming it is concerned.
enum LeaseOwnership: Equatable {
    /// Active, held by the sender, for this plan index.
    case active(Int)
    /// Expired while the sender held it (a slow worker, not a dead one).
    case expired(Int)
    /// Issued by an earlier coordinator run to the sender (per the journal), for this job.
    case earlier(JobID)
    /// Not the sender's: held by someone else, unknown, or never issued.
    case notHeld
}

extension CoordinatorState {
    /// Whose `leaseID` is, seen from `workerID`.
    func ownership(of leaseID: LeaseID, by workerID: WorkerID) -> LeaseOwnership {
        if let lease = leases[leaseID] { return lease.worker == workerID ? .active(lease.job) : .notHeld }
        if let expired = expiredLeases[leaseID] { return expired.worker == workerID ? .expired(expired.job) : .notHeld }
        if let earlier = earlierLeases[leaseID], earlier.worker == workerID { return .earlier(earlier.job) }
        return .notHeld
    }

    /// Ends `leaseID` if `workerID` holds it (slot back to the worker). Returns the lease's job, or nil
    /// when the lease was not active for this worker.
    private mutating func release(_ leaseID: LeaseID, of workerID: WorkerID) -> Int? {
        if let lease = leases[leaseID] {
            guard lease.worker == workerID else { return nil }
            leases[leaseID] = nil
            workers[workerID]?.leases.remove(leaseID)
            creditAnswer(workerID)
            giveCredit(to: workerID)
            return lease.job
        }
        if expiredLeases[leaseID]?.worker == workerID {  // the worker was slow, not dead: its slot is free again
            expiredLeases[leaseID] = nil
            expiredLeaseJobs[leaseID] = nil
            creditAnswer(workerID)
            giveCredit(to: workerID)
        } else if !isOwnLease(leaseID), workers[workerID] != nil {
            // A lease of an earlier coordinator run: the worker's READY to this run did not count the slot
            // that job held (READY offers free slots only), so finishing it frees a slot here.
            giveCredit(to: workerID)
        }
        return nil
    }

    /// Whether a RESULT from `workerID` under `leaseID` for job `jobID` would be recorded by `handle(.result…)`
    /// now (the same checks, without changing anything): the service writes such a record before the state
    /// machine counts it, so a failing results directory can turn the RESULT away. Only the lease's holder
    /// can report it: its active lease, one that expired while it held it, or (after a coordinator restart)
    /// one the journal says an earlier run gave it, each for the lease's own job.
    func acceptsResult(from workerID: WorkerID, lease leaseID: LeaseID, job jobID: JobID) -> Bool {
        guard let job = plan.index[jobID] else { return false }
        switch ownership(of: leaseID, by: workerID) {
        case .active(let leased), .expired(let leased): if leased != job { return false }
        case .earlier(let leased): if leased != jobID { return false }
        case .notHeld: return false
        }
        switch states[job] {
        case .ready, .delayed, .leased: return true
        case .done, .failed, .waiting, .dormant: return false
        }
    }

    mutating func result(_ workerID: WorkerID, lease leaseID: LeaseID, record: JobRecord, artifact: String?, now: Double,
                         into actions: inout [CoordinatorAction]) {
        if workers[workerID] == nil {
            actions.append(.refuse(workerID, Refusal(reason: "unknown worker \(workerID)", hint: "send READY")))
        }
        let ownership = ownership(of: leaseID, by: workerID)
        if ownership == .notHeld {
            let holder = leases[leaseID].map { " (held by \($0.worker))" } ?? ""
            actions.append(.drop(reason: "result from \(workerID) for job \(record.id) under lease \(leaseID), which it does not hold\(holder)"))
            return
        }
        if case .earlier(let leasedJob) = ownership, leasedJob != record.id {
            actions.append(.drop(reason: "result from \(workerID) under lease \(leaseID) is for job \(record.id), the lease was for \(leasedJob)"))
            return
        }
        let expiredJob: Int? = if case .expired(let j) = ownership { j } else { nil }
        let leasedJob = release(leaseID, of: workerID)
        guard let job = plan.index[record.id] else {
            actions.append(.drop(reason: "result from \(workerID) for job \(record.id), which is not in the plan"))
            if let leasedJob { requeueAfterBadReport(leasedJob, leaseID, workerID, now: now, into: &actions) }
            return
        }
        if let expiredJob, expiredJob != job {
            actions.append(.drop(reason: "result from \(workerID) under expired lease \(leaseID) is for job \(record.id), the lease was for \(plan.ids[expiredJob])"))
            return
        }
        if let leasedJob, leasedJob != job {
            actions.append(.drop(reason: "result from \(workerID) under lease \(leaseID) is for job \(record.id), the lease is for \(plan.ids[leasedJob])"))
            requeueAfterBadReport(leasedJob, leaseID, workerID, now: now, into: &actions)
            return
        }
        switch states[job] {
        case .done, .failed:
            actions.append(.drop(reason: "duplicate result for job \(record.id) from \(workerID) (first result wins)"))
            return
        case .waiting:
            actions.append(.drop(reason: "result for job \(record.id), whose dependencies are not done"))
            return
        case .dormant:
            actions.append(.drop(reason: "result for job \(record.id), which adaptive seeds have not added to the sweep"))
            return
        case .ready, .delayed, .leased:
            break  // a late result for an expired lease still counts when it is the first
        }
        var stored = record
        if let artifact { stored.artifact = artifact }
        complete(job, stored, lease: leaseID, worker: workerID, now: now, into: &actions)
    }

    private mutating func requeueAfterBadReport(_ job: Int, _ leaseID: LeaseID, _ workerID: WorkerID, now: Double,
                                                into actions: inout [CoordinatorAction]) {
        guard states[job] == .leased(leaseID) else { return }
        failAttempt(job, lease: leaseID, worker: workerID, reason: "worker reported a result for another job",
                    retryable: true, now: now, into: &actions)
    }

    /// Stores the record and releases (or fails) the jobs waiting on this one.
    private mutating func complete(_ job: Int, _ record: JobRecord, lease: LeaseID, worker: WorkerID, now: Double,
                                   into actions: inout [CoordinatorAction]) {
        states[job] = .done
        finishedCount += 1
        let outcome = record.outcome
        outcomes[job] = outcome
        actions.append(.record(record))
        actions.append(.journal(JournalEvent(.completed, job: record.id, lease: lease, worker: worker, attempt: attempts[job])))
        seedsAfter(record, now: now, into: &actions)
        for dependent in dependents[job] {
            guard case .waiting(let remaining) = states[dependent] else { continue }
            if !outcome.canFeedDependents {
                failPermanently(dependent, reason: "dependency failed: guide training job \(record.id) \(Self.unusable(outcome))",
                                worker: nil, now: now, into: &actions)
            } else if remaining <= 1 {
                enqueue(dependent, into: &actions)
            } else {
                states[dependent] = .waiting(remaining - 1)
            }
        }
    }

    mutating func failed(_ workerID: WorkerID, lease leaseID: LeaseID, reason: String, retryable: Bool, now: Double,
                         into actions: inout [CoordinatorAction]) {
        if workers[workerID] == nil {
            actions.append(.refuse(workerID, Refusal(reason: "unknown worker \(workerID)", hint: "send READY")))
        }
        guard let job = release(leaseID, of: workerID) else {
            actions.append(.drop(reason: "failure from \(workerID) for lease \(leaseID), which it does not hold (expired or unknown)"))
            return
        }
        guard states[job] == .leased(leaseID) else {
            actions.append(.drop(reason: "late failure for job \(plan.ids[job]), already handled"))
            return
        }
        failAttempt(job, lease: leaseID, worker: workerID, reason: reason, retryable: retryable, now: now, into: &actions)
    }
}
