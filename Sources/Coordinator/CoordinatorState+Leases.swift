import Foundation
import Store
import Sweep
import Wire

extension CoordinatorState {
    /// Releases backed-off jobs, expires leases without heartbeats and silent workers.
    mutating func fireTimers(now: Double, into actions: inout [CoordinatorAction]) {
        releaseQuarantines(now: now)
        while let timer = delayed.min, timer.time <= now {
            _ = delayed.pop()
            if states[timer.payload] == .delayed { enqueue(timer.payload, into: &actions, reason: "retry") }
        }
        while let timer = workerTimers.min, timer.time <= now {
            _ = workerTimers.pop()
            guard let worker = workers[timer.payload] else { continue }
            let due = worker.lastSeen + leaseSeconds
            if due > now {  // heard from since: check again later (one timer per worker)
                workerTimers.push(Timer(time: due, sequence: nextSequence(), payload: timer.payload))
                continue
            }
            workers[timer.payload] = nil
            actions.append(.drop(reason: "worker \(timer.payload) silent for \(leaseSeconds) s; presumed dead"))
            for leaseID in worker.leases.sorted(by: { $0.rawValue < $1.rawValue }) {
                expire(leaseID, now: now, into: &actions)
            }
        }
        while let timer = leaseTimers.min, timer.time <= now {
            _ = leaseTimers.pop()
            guard let lease = leases[timer.payload] else { continue }
            if lease.deadline > now {  // refreshed by heartbeats: check again later (one timer per lease)
                leaseTimers.push(Timer(time: lease.deadline, sequence: nextSequence(), payload: timer.payload))
                continue
            }
            expire(timer.payload, now: now, into: &actions)
        }
    }

    /// A lease ran out: the attempt counts as a retryable failure.
    mutating func expire(_ leaseID: LeaseID, now: Double, into actions: inout [CoordinatorAction]) {
        guard let lease = leases.removeValue(forKey: leaseID) else { return }
        workers[lease.worker]?.leases.remove(leaseID)
        expiredLeases[leaseID] = (lease.worker, lease.job)
        expiredLeaseJobs[leaseID] = (lease.job, lease.attempt)
        chargeExpiry(lease.worker, principal: lease.principal, now: now, into: &actions)
        guard states[lease.job] == .leased(leaseID) else { return }
        failAttempt(lease.job, lease: leaseID, worker: lease.worker, principal: lease.principal,
                    reason: "lease expired: no heartbeat for \(leaseSeconds) s", retryable: true, now: now, into: &actions)
    }

    /// One attempt failed: retry after a backoff while the budget lasts, else record the failure.
    mutating func failAttempt(_ job: Int, lease: LeaseID?, worker: WorkerID?, principal: String? = nil, reason: String,
                              retryable: Bool, now: Double, into actions: inout [CoordinatorAction]) {
        let id = plan.ids[job]
        if let name = principal ?? worker.map(self.principal(of:)) { failedOn[job].insert(name) }
        if retryable && !failuresEndJob(job, spent: failures[job] + 1) {
            failures[job] += 1
            let backoff = config.backoff(afterFailures: failures[job])
            states[job] = .delayed
            delayed.push(Timer(time: now + backoff.seconds, sequence: nextSequence(), payload: job))
            actions.append(.journal(JournalEvent(.requeued, job: id, lease: lease, worker: worker, attempt: attempts[job],
                                                 reason: reason)))
            actions.append(.requeue(id, after: backoff))
        } else {
            let why = retryable ? "\(reason) (gave up after \(failures[job] + 1) attempts on \(failedOn[job].count) worker(s))" : reason
            failPermanently(job, reason: why, worker: worker, lease: lease, now: now, into: &actions)
        }
    }

    /// Records the job as failed and fails every job waiting on it.
    mutating func failPermanently(_ job: Int, reason: String, worker: WorkerID?, lease: LeaseID? = nil, now: Double,
                                  into actions: inout [CoordinatorAction]) {
        var pending = [(job, reason, worker, lease)]
        while let (index, why, workerID, leaseID) = pending.popLast() {
            guard states[index] != .done && states[index] != .failed && states[index] != .dormant else { continue }
            let planned = plan.jobs[index]
            states[index] = .failed
            finishedCount += 1
            let status = JobStatus.failed(error: why, retryable: false)
            outcomes[index] = JobOutcome(status: status)
            let info = workerID.flatMap { workers[$0] }
            let time = Timestamp(Date(timeIntervalSince1970: now))
            let record = JobRecord(
                id: planned.id, spec: planned.spec, status: status,
                worker: workerID.map { WorkerRef(id: $0, host: info?.info.host ?? "") } ?? config.identity,
                versions: info?.info.versions ?? config.versions, device: planned.spec.training.device,
                startedAt: time, finishedAt: time)
            actions.append(.record(record))
            actions.append(.journal(JournalEvent(.failed, job: planned.id, lease: leaseID, worker: workerID,
                                                 attempt: attempts[index], reason: why)))
            for dependent in dependents[index] {
                pending.append((dependent, "dependency failed: guide training job \(planned.id) failed: \(why)", nil, nil))
            }
            seedsAfter(record, now: now, into: &actions)
        }
    }
}
