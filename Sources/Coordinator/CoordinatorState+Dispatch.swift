import Store
import Sweep
import Wire

extension CoordinatorState {
    /// Puts a job whose dependencies are done into the ready queue for its device; `journal` writes its `queued`
    /// event (not for the jobs ready at the start: the plan says which they are, and a million-job grid would
    /// otherwise write a million lines before its first job).
    mutating func enqueue(_ index: Int, into actions: inout [CoordinatorAction], reason: String? = nil, journal: Bool = true) {
        states[index] = .ready
        if DeviceNeed(jobDevice: plan.training(at: index).device) == .cuda {
            readyCUDA.push(index)
        } else {
            ready.push(index)
        }
        if journal { actions.append(.journal(JournalEvent(.queued, job: plan.ids[index], reason: reason))) }
    }

    /// Gives ready jobs to workers with free slots, one job per worker per turn (round robin). CUDA jobs go
    /// only to workers with a CUDA device, and first; the other jobs go to CPU-only workers first, then to
    /// CUDA workers that have slots left.
    mutating func dispatch(now: Double, into actions: inout [CoordinatorAction]) {
        guard !isDispatchPaused else { return }
        while let job = firstReady(cuda: true), let workerID = nextWorker(cuda: true) {
            _ = readyCUDA.pop()
            lease(job, to: workerID, now: now, into: &actions)
        }
        while let job = firstReady(cuda: false), let workerID = nextWorker(cuda: false) ?? nextWorker(cuda: true) {
            _ = ready.pop()
            lease(job, to: workerID, now: now, into: &actions)
        }
    }

    /// The first job still ready in `readyCUDA` (`cuda`) or `ready`, dropping stale entries (finished or
    /// re-leased meanwhile); it stays in the queue.
    private mutating func firstReady(cuda: Bool) -> Int? {
        while let job = cuda ? readyCUDA.first : ready.first {
            if states[job] == .ready { return job }
            _ = cuda ? readyCUDA.pop() : ready.pop()
        }
        return nil
    }

    /// Pops the next worker with a free slot from `availableCUDA` (`cuda`) or `available`, skipping stale
    /// entries and moving a worker whose devices changed (a new READY) to the other queue.
    private mutating func nextWorker(cuda: Bool) -> WorkerID? {
        while let workerID = cuda ? availableCUDA.pop() : available.pop() {
            guard var worker = workers[workerID] else { continue }
            guard worker.info.hasCUDA == cuda else {
                if worker.info.hasCUDA { availableCUDA.push(workerID) } else { available.push(workerID) }
                continue
            }
            worker.queued = false
            workers[workerID] = worker
            if canTakeJob(worker, workerID) { return workerID }
        }
        return nil
    }

    /// Leases ready job `job` to `workerID` (which has a free slot and was just taken off its queue).
    private mutating func lease(_ job: Int, to workerID: WorkerID, now: Double, into actions: inout [CoordinatorAction]) {
        guard var worker = workers[workerID] else { return }
        leaseCounter += 1
        let leaseID = LeaseID(rawValue: "\(config.leasePrefix)-\(leaseCounter)")
        attempts[job] += 1
        let deadline = now + leaseSeconds
        leases[leaseID] = Lease(job: job, worker: workerID, deadline: deadline, attempt: attempts[job],
                                principal: worker.info.principal ?? workerID)
        leaseTimers.push(Timer(time: deadline, sequence: nextSequence(), payload: leaseID))
        states[job] = .leased(leaseID)
        worker.credits -= 1
        worker.leases.insert(leaseID)
        workers[workerID] = worker
        makeAvailable(workerID)
        let planned = plan.jobs[job]
        let guideArtifact = plan.dependency(of: job).flatMap { outcomes[$0]?.artifact }
        actions.append(.journal(JournalEvent(.leased, job: planned.id, lease: leaseID, worker: workerID,
                                             attempt: attempts[job])))
        actions.append(.send(
            JobAssignment(id: planned.id, spec: planned.spec, lease: leaseID, attempt: attempts[job],
                          leaseSeconds: leaseSeconds, guideArtifact: guideArtifact,
                          saveCheckpoint: !dependents[job].isEmpty),
            to: workerID, deadline: deadline))
    }

    /// Queues a worker with free slots for dispatch (once), in the queue for its devices.
    mutating func makeAvailable(_ workerID: WorkerID) {
        guard var worker = workers[workerID], !worker.queued, canTakeJob(worker, workerID) else { return }
        worker.queued = true
        workers[workerID] = worker
        if worker.info.hasCUDA { availableCUDA.push(workerID) } else { available.push(workerID) }
    }

    /// Returns one slot to a worker (a lease of it ended).
    mutating func giveCredit(to workerID: WorkerID) {
        guard var worker = workers[workerID] else { return }
        worker.credits += 1
        workers[workerID] = worker
        makeAvailable(workerID)
    }

    // MARK: Workers

    mutating func workerReady(_ workerID: WorkerID, slots: Int, info: WorkerInfo, now: Double) {
        var worker = workers[workerID] ?? Worker(info: info, credits: 0, lastSeen: now)
        let isNew = workers[workerID] == nil
        // Devices changed: queue it anew for the right kind of job (the old entry is skipped when popped).
        if worker.info.hasCUDA != info.hasCUDA { worker.queued = false }
        worker.info = info
        worker.credits = max(slots, 0)
        worker.lastSeen = now
        workers[workerID] = worker
        makeAvailable(workerID)
        if isNew { workerTimers.push(Timer(time: now + leaseSeconds, sequence: nextSequence(), payload: workerID)) }
    }

    mutating func heartbeat(_ workerID: WorkerID, progress: [LeaseProgress], guideCache: GuideCacheStatistics? = nil, now: Double,
                            into actions: inout [CoordinatorAction]) {
        guard var worker = workers[workerID] else {
            actions.append(.drop(reason: "heartbeat from unknown worker \(workerID)"))
            actions.append(.refuse(workerID, Refusal(reason: "unknown worker \(workerID)", hint: "send READY")))
            return
        }
        worker.lastSeen = now
        if let guideCache { worker.info.guideCache = guideCache }
        workers[workerID] = worker
        for entry in progress {
            guard var lease = leases[entry.lease], lease.worker == workerID else {
                if !renewExpired(entry.lease, of: workerID, progress: entry, now: now, into: &actions) {
                    actions.append(.drop(reason: "heartbeat from \(workerID) for lease \(entry.lease) it does not hold"))
                }
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
            guard let lease = leases.removeValue(forKey: leaseID) else { continue }
            expiredLeases[leaseID] = (workerID, lease.job)  // its holder's late RESULT may still come first
            guard states[lease.job] == .leased(leaseID) else { continue }
            attempts[lease.job] -= 1
            actions.append(.requeue(plan.ids[lease.job], after: .zero))
            enqueue(lease.job, into: &actions, reason: "worker \(workerID) disconnected")
        }
    }
}
