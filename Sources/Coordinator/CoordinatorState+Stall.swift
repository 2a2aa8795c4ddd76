import Store
import Sweep
import Wire

extension CoordinatorState {
    /// The coordinator itself did not run for `seconds` (a stopped or swapped process, a starved CPU, a slow
    /// fsync): nobody could be heard meanwhile, so that silence is not held against the workers. Moves every
    /// worker's last-heard time and every lease deadline later by the stall, never past what a message
    /// arriving `now` would give. Call it before feeding the first events after the stall.
    public mutating func excuse(stall seconds: Double, now: Double) {
        guard seconds > 0 else { return }
        for id in workers.keys {
            workers[id]!.lastSeen = min(workers[id]!.lastSeen + seconds, now)
        }
        for id in leases.keys {
            leases[id]!.deadline = min(leases[id]!.deadline + seconds, now + leaseSeconds)
        }
    }

    /// A heartbeat names a lease that expired while its job has not been leased again: the worker was slow or
    /// cut off, not dead, and still runs the job. The lease is renewed (no re-run, the retry it cost is given
    /// back) and a `renewed` journal event says so. Returns false when the lease cannot be renewed (the job is
    /// leased elsewhere, done, or the lease is not this worker's).
    mutating func renewExpired(_ leaseID: LeaseID, of workerID: WorkerID, progress: LeaseProgress, now: Double,
                               into actions: inout [CoordinatorAction]) -> Bool {
        guard expiredLeases[leaseID]?.worker == workerID, let expired = expiredLeaseJobs[leaseID], workers[workerID] != nil else {
            return false
        }
        let job = expired.job
        switch states[job] {
        case .ready, .delayed: break
        case .waiting, .leased, .done, .failed, .dormant: return false
        }
        expiredLeases[leaseID] = nil
        expiredLeaseJobs[leaseID] = nil
        let deadline = now + leaseSeconds
        leases[leaseID] = Lease(job: job, worker: workerID, deadline: deadline, attempt: expired.attempt, progress: progress,
                                principal: principal(of: workerID))
        // Heard again: the expiry was a stall, not a fault. Its strike is forgiven like an answer's, and this
        // worker no longer counts among those the job failed on.
        creditAnswer(workerID)
        failedOn[job].remove(principal(of: workerID))
        leaseTimers.push(Timer(time: deadline, sequence: nextSequence(), payload: leaseID))
        states[job] = .leased(leaseID)  // a stale ready-queue entry or backoff timer is skipped when it comes up
        failures[job] = max(failures[job] - 1, 0)
        workers[workerID]!.leases.insert(leaseID)
        actions.append(.journal(JournalEvent(.renewed, job: plan.ids[job], lease: leaseID, worker: workerID,
                                             attempt: expired.attempt,
                                             reason: "worker \(workerID) still runs it (heard again after the lease expired)")))
        return true
    }
}
