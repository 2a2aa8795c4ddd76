import Store
import Sweep
import Wire

extension CoordinatorState {
    /// Puts a job whose dependencies are done into the ready queue.
    mutating func enqueue(_ index: Int, into actions: inout [CoordinatorAction], reason: String? = nil) {
        states[index] = .ready
        ready.push(index)
        actions.append(.journal(JournalEvent(.queued, job: plan.jobs[index].id, reason: reason)))
    }

    /// Gives ready jobs to workers with free slots, one job per worker per turn (round robin).
    mutating func dispatch(now: Double, into actions: inout [CoordinatorAction]) {
        guard !isDispatchPaused else { return }
        while let job = ready.first {
            guard states[job] == .ready else {  // finished or re-leased meanwhile: stale entry
                _ = ready.pop()
                continue
            }
            guard let workerID = available.pop() else { return }
            guard var worker = workers[workerID] else { continue }
            worker.queued = false
            guard worker.credits > 0 else {
                workers[workerID] = worker
                continue
            }
            _ = ready.pop()
            leaseCounter += 1
            let leaseID = LeaseID(rawValue: "\(config.leasePrefix)-\(leaseCounter)")
            attempts[job] += 1
            let deadline = now + leaseSeconds
            leases[leaseID] = Lease(job: job, worker: workerID, deadline: deadline, attempt: attempts[job])
            leaseTimers.push(Timer(time: deadline, sequence: nextSequence(), payload: leaseID))
            states[job] = .leased(leaseID)
            worker.credits -= 1
            worker.leases.insert(leaseID)
            if worker.credits > 0 {
                worker.queued = true
                available.push(workerID)
            }
            workers[workerID] = worker
            let planned = plan.jobs[job]
            var guideArtifact: String?
            for dependency in planned.dependencies {
                if let at = plan.index[dependency], let artifact = outcomes[at]?.artifact { guideArtifact = artifact }
            }
            actions.append(.journal(JournalEvent(.leased, job: planned.id, lease: leaseID, worker: workerID,
                                                 attempt: attempts[job])))
            actions.append(.send(
                JobAssignment(id: planned.id, spec: planned.spec, lease: leaseID, attempt: attempts[job],
                              leaseSeconds: leaseSeconds, guideArtifact: guideArtifact,
                              saveCheckpoint: !dependents[job].isEmpty),
                to: workerID, deadline: deadline))
        }
    }

    /// Returns one slot to a worker (a lease of it ended).
    mutating func giveCredit(to workerID: WorkerID) {
        guard var worker = workers[workerID] else { return }
        worker.credits += 1
        if !worker.queued {
            worker.queued = true
            available.push(workerID)
        }
        workers[workerID] = worker
    }

    // MARK: Workers

    mutating func workerReady(_ workerID: WorkerID, slots: Int, info: WorkerInfo, now: Double) {
        var worker = workers[workerID] ?? Worker(info: info, credits: 0, lastSeen: now)
        let isNew = workers[workerID] == nil
        worker.info = info
        worker.credits = max(slots, 0)
        worker.lastSeen = now
        if worker.credits > 0 && !worker.queued {
            worker.queued = true
            available.push(workerID)
        }
        workers[workerID] = worker
        if isNew { workerTimers.push(Timer(time: now + leaseSeconds, sequence: nextSequence(), payload: workerID)) }
    }

    mutating func heartbeat(_ workerID: WorkerID, progress: [LeaseProgress], now: Double,
                            into actions: inout [CoordinatorAction]) {
        guard var worker = workers[workerID] else {
            actions.append(.drop(reason: "heartbeat from unknown worker \(workerID)"))
            actions.append(.refuse(workerID, Refusal(reason: "unknown worker \(workerID)", hint: "send READY")))
            return
        }
        worker.lastSeen = now
        workers[workerID] = worker
        for entry in progress {
            guard var lease = leases[entry.lease], lease.worker == workerID else {
                actions.append(.drop(reason: "heartbeat from \(workerID) for lease \(entry.lease) it does not hold"))
                continue
            }
            lease.deadline = now + leaseSeconds
            lease.progress = entry
            leases[entry.lease] = lease
        }
    }

    mutating func disconnect(_ workerID: WorkerID, into actions: inout [CoordinatorAction]) {
        guard let worker = workers.removeValue(forKey: workerID) else {
            actions.append(.drop(reason: "disconnect from unknown worker \(workerID)"))
            return
        }
        // Leaving is not the job's fault: back to the queue at once, no retry spent.
        for leaseID in worker.leases.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let lease = leases.removeValue(forKey: leaseID), states[lease.job] == .leased(leaseID) else { continue }
            attempts[lease.job] -= 1
            actions.append(.requeue(plan.jobs[lease.job].id, after: .zero))
            enqueue(lease.job, into: &actions, reason: "worker \(workerID) disconnected")
        }
    }
}
