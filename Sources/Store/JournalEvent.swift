public import Sweep

/// One state change of a job, as appended to `journal.jsonl`.
/// JSON: `{"time": "...", "event": "leased", "job": "...", "lease": "...", "worker": "...", "attempt": 1}`.
public struct JournalEvent: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Hashable, Sendable {
        /// The job became ready to run after the sweep started: its dependencies finished, or it is ready again
        /// (a retry, a worker that disconnected), or adaptive seeds activated it. Jobs of the plan ready at the
        /// start have no `queued` event: the plan says which they are.
        case queued
        /// The job was sent to a worker under a lease.
        case leased
        /// A record for the job was stored.
        case completed
        /// The job failed permanently (a failed record is stored too).
        case failed
        /// An attempt failed or its lease expired; the job will run again (after a backoff).
        case requeued
        /// An expired lease was renewed: its worker was heard again, still running the job, before the job was
        /// leased elsewhere. It cancels the `requeued` of that expiry (no retry spent).
        case renewed
        /// Adaptive seeds added the job to the sweep (it is not in the manifest's initial plan).
        case added
    }

    public var kind: Kind
    public var job: JobID
    public var lease: LeaseID?
    public var worker: String?
    /// 1-based attempt number the event concerns.
    public var attempt: Int?
    /// Why (failures, requeues).
    public var reason: String?
    /// Wall-clock time, set by the store when the event is appended.
    public var time: Timestamp?

    public init(_ kind: Kind, job: JobID, lease: LeaseID? = nil, worker: String? = nil, attempt: Int? = nil,
                reason: String? = nil, time: Timestamp? = nil) {
        self.kind = kind
        self.job = job
        self.lease = lease
        self.worker = worker
        self.attempt = attempt
        self.reason = reason
        self.time = time
    }

    enum CodingKeys: String, CodingKey {
        case kind = "event", job, lease, worker, attempt, reason, time
    }
}
