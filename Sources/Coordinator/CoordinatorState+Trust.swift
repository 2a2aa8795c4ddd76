import Sweep

/// What the coordinator holds against one principal (a CURVE key, or a worker id without keys).
struct PrincipalRecord {
    /// Expiry windows in a row (a lease timeout each; all leases expiring within one count once) without a
    /// RESULT or FAILED in between.
    var strikes = 0
    var lastStrike = -Double.infinity
    /// Quarantines so far without a result since (each one twice as long as the last).
    var quarantines = 0
    /// No jobs before this time (seconds on the state machine's clock); nil: not quarantined.
    var quarantinedUntil: Double?
    /// Leases each of its workers may hold at once: unlimited (nil) until a lease expires, then 1, growing by
    /// one for each lease it answers (slow start), unlimited again once it reaches the coordinator's limit.
    var allowance: Int?
}

extension CoordinatorState {
    /// Longest quarantine, seconds.
    static let longestQuarantine = 3600.0

    /// The principal a worker answers as: its key with CURVE, else its id.
    func principal(of workerID: WorkerID) -> String {
        workers[workerID]?.info.principal ?? workerID
    }

    /// Most leases `worker` may hold at once: the coordinator's limit, the cores it reported, its principal's
    /// allowance.
    func leaseLimit(_ worker: Worker, _ workerID: WorkerID) -> Int {
        var limit = max(config.maxSlotsPerWorker, 1)
        if let cores = worker.info.cores { limit = min(limit, max(cores, 1)) }
        if let allowance = principals[worker.info.principal ?? workerID]?.allowance { limit = min(limit, allowance) }
        return limit
    }

    /// Whether `worker` may get another job now: a free slot it offered, under its lease limit, not quarantined.
    func canTakeJob(_ worker: Worker, _ workerID: WorkerID) -> Bool {
        worker.credits > 0 && worker.leases.count < leaseLimit(worker, workerID)
            && principals[worker.info.principal ?? workerID]?.quarantinedUntil == nil
    }

    /// Free slots as the status shows them: what the worker offered, within its lease limit.
    func effectiveFreeSlots(_ worker: Worker, _ workerID: WorkerID) -> Int {
        max(0, min(worker.credits, leaseLimit(worker, workerID) - worker.leases.count))
    }

    /// A lease of `workerID` expired: charged to its principal (not to the job's retry budget alone). Its
    /// allowance drops to one lease; after `quarantineAfter` expiries in a row it gets no jobs for a while.
    mutating func chargeExpiry(_ workerID: WorkerID, principal name: String, now: Double,
                               into actions: inout [CoordinatorAction]) {
        var record = principals[name] ?? PrincipalRecord()
        record.allowance = 1
        guard now - record.lastStrike >= leaseSeconds else {  // the same outage (a dead worker's many leases)
            principals[name] = record
            return
        }
        record.lastStrike = now
        record.strikes += 1
        if record.strikes >= max(config.quarantineAfter, 1), record.quarantinedUntil == nil {
            let seconds = min(config.quarantine.seconds * Double(1 << min(record.quarantines, 20)), Self.longestQuarantine)
            record.quarantinedUntil = now + seconds
            record.quarantines += 1
            actions.append(.quarantine(workerID, principal: name, seconds: seconds, expiries: record.strikes))
            // One more expiry without a result in between quarantines it again.
            record.strikes = max(config.quarantineAfter, 1) - 1
            quarantineTimers.push(Timer(time: now + seconds, sequence: nextSequence(), payload: name))
        }
        principals[name] = record
    }

    /// `workerID` answered a lease (RESULT or FAILED): its principal is working; forgive its strikes and let its
    /// allowance grow by one.
    mutating func creditAnswer(_ workerID: WorkerID) {
        let name = principal(of: workerID)
        guard var record = principals[name] else { return }
        record.strikes = 0
        record.quarantines = 0
        if let allowance = record.allowance {
            record.allowance = allowance + 1 >= max(config.maxSlotsPerWorker, 1) ? nil : allowance + 1
        }
        principals[name] = record
    }

    /// Ends quarantines that are due and offers their workers' free slots again.
    mutating func releaseQuarantines(now: Double) {
        var released: Set<String> = []
        while let timer = quarantineTimers.min, timer.time <= now {
            _ = quarantineTimers.pop()
            guard let until = principals[timer.payload]?.quarantinedUntil, until <= now else { continue }
            principals[timer.payload]?.quarantinedUntil = nil
            released.insert(timer.payload)
        }
        guard !released.isEmpty else { return }
        for (id, worker) in workers where released.contains(worker.info.principal ?? id) { makeAvailable(id) }
    }

    /// Whether the job's failed attempts so far may end it: more than `maxRetries` failed, and on enough
    /// distinct principals (`failureWorkers`, or all connected, non-quarantined ones when fewer), or so many
    /// attempts failed that going on is pointless (`(maxRetries + 1) × failureWorkers`).
    func failuresEndJob(_ job: Int, spent: Int) -> Bool {
        guard spent > config.maxRetries else { return false }
        let needed = max(config.failureWorkers, 1)
        if spent >= (config.maxRetries + 1) * needed { return true }
        var present: Set<String> = []
        for (id, worker) in workers {
            let name = worker.info.principal ?? id
            if principals[name]?.quarantinedUntil == nil { present.insert(name) }
        }
        return failedOn[job].count >= min(needed, max(present.count, 1))
    }

    /// Leases held per principal right now (for tests and status).
    public func leaseCount(ofPrincipal name: String) -> Int {
        workers.reduce(0) { $0 + (($1.value.info.principal ?? $1.key) == name ? $1.value.leases.count : 0) }
    }

    /// Whether a principal is quarantined now.
    public func isQuarantined(_ name: String) -> Bool { principals[name]?.quarantinedUntil != nil }
}
