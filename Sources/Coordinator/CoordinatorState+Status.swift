public import Sweep
public import Wire

extension CoordinatorState {
    /// Job counts by state: `done` (recorded by a worker), `failed` (recorded failed), `running`,
    /// `queued` (ready or backing off), `waiting` (for dependencies). O(jobs): for status requests, so counted in
    /// plain integers (a million-job sweep answers in milliseconds) and put in the dictionary once.
    public var jobCounts: [String: Int] {
        var done = 0, failed = 0, running = 0, queued = 0, waiting = 0
        for (index, state) in states.enumerated() {
            switch state {
            case .done:
                if case .failed? = outcomes[index]?.status { failed += 1 } else { done += 1 }
            case .failed: failed += 1
            case .leased: running += 1
            case .ready, .delayed: queued += 1
            case .waiting: waiting += 1
            case .dormant: break
            }
        }
        return ["done": done, "failed": failed, "running": running, "queued": queued, "waiting": waiting]
    }

    /// The STATUS_REPLY body: job counts and each worker with its free slots and leases' progress.
    public var statusReply: StatusReply {
        let list = workers.keys.sorted().map { id -> WorkerStatus in
            let worker = workers[id]!
            let progress = worker.leases.sorted { $0.rawValue < $1.rawValue }.map { lease in
                leases[lease]?.progress ?? LeaseProgress(lease: lease, step: 0)
            }
            return WorkerStatus(worker: id, host: worker.info.host, slots: effectiveFreeSlots(worker, id), leases: progress,
                                engine: worker.info.engine, guideCache: worker.info.guideCache)
        }
        return StatusReply(jobs: jobCounts, workers: list)
    }

    /// Free slots of a worker (nil when unknown).
    public func freeSlots(of worker: WorkerID) -> Int? { workers[worker]?.credits }

    /// The job currently leased under `lease`, if the lease is active.
    public func job(holding lease: LeaseID) -> JobID? { leases[lease].map { plan.ids[$0.job] } }
}

extension CoordinatorState {
    /// Leases currently held by workers (jobs running).
    public var activeLeaseCount: Int { leases.count }

    /// Workers that sent READY and have not gone silent or disconnected, sorted.
    public var workerIDs: [WorkerID] { workers.keys.sorted() }

    /// Whether `lease` was issued by this run (its id starts with this run's lease prefix).
    func isOwnLease(_ lease: LeaseID) -> Bool { lease.rawValue.hasPrefix(config.leasePrefix + "-") }
}
