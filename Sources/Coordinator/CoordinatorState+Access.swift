import Sweep

extension CoordinatorState {
    /// Whether `workerID` holds an active lease whose JOB names `hash` as its guide checkpoint: only such a
    /// worker may FETCH it.
    public func needsArtifact(_ hash: String, worker workerID: WorkerID) -> Bool {
        guard let worker = workers[workerID] else { return false }
        for leaseID in worker.leases {
            guard let lease = leases[leaseID] else { continue }
            if let at = plan.dependency(of: lease.job), outcomes[at]?.artifact == hash { return true }
        }
        return false
    }
}
