public import Store
public import Sweep
public import Wire

/// A worker's id: its stable ZeroMQ routing id.
public typealias WorkerID = String

/// What the coordinator knows about a worker from its READY.
public struct WorkerInfo: Hashable, Sendable {
    public var host: String
    public var devices: [String]
    public var versions: Versions
    /// BLAS, kernels, threads and CPU, as the worker reported them (nil for older workers).
    public var engine: EngineEnvironment?
    /// CPU cores it reported (caps its leases); nil: unknown (only the coordinator's limit applies).
    public var cores: Int?
    /// The worker's guide caches: from its READY, then from each HEARTBEAT that carries them (nil for older workers).
    public var guideCache: GuideCacheStatistics?
    /// Who answers for this worker: with CURVE the Z85 public key of its connection, else nil (the worker id).
    /// Penalties (quarantine) and the distinct-worker count of failures go by principal, so a key cannot shed
    /// them by connecting under new worker ids.
    public var principal: String?

    public init(host: String, devices: [String] = ["cpu"], versions: Versions, engine: EngineEnvironment? = nil,
                cores: Int? = nil, principal: String? = nil) {
        self.host = host
        self.devices = devices
        self.versions = versions
        self.engine = engine
        self.cores = cores
        self.principal = principal
    }

    public init(_ ready: Ready, principal: String? = nil) {
        self.init(host: ready.host, devices: ready.devices, versions: ready.versions, engine: ready.engine,
                  cores: ready.cores, principal: principal)
        guideCache = ready.guideCache
    }
}

/// Something that happened, fed to `CoordinatorState.handle(_:now:)`.
public enum CoordinatorEvent: Sendable {
    /// READY: the worker (new or reconnected) has `slots` free slots.
    case workerReady(WorkerID, slots: Int, info: WorkerInfo)
    /// HEARTBEAT: the worker is alive; progress of each lease it holds (empty when idle).
    /// `guideCache`: the worker's guide caches now, when its heartbeat carries them.
    case heartbeat(WorkerID, leases: [LeaseProgress], guideCache: GuideCacheStatistics? = nil)
    /// RESULT: `artifact` is the SHA-256 of the checkpoint the service loop stored (overrides `record.artifact`).
    case result(WorkerID, lease: LeaseID, record: JobRecord, artifact: String?)
    /// FAILED.
    case failed(WorkerID, lease: LeaseID, reason: String, retryable: Bool)
    /// Time passed: expire leases and silent workers, release backed-off jobs, dispatch.
    case tick
    /// DISCONNECT, or the transport found the worker unreachable.
    case disconnect(WorkerID)
}

/// What the service loop must do, in order.
public enum CoordinatorAction: Hashable, Sendable {
    /// Send JOB to `worker`; the lease expires at `deadline` (same clock as `now`) unless heartbeats refresh it.
    case send(JobAssignment, to: WorkerID, deadline: Double)
    /// Store this record (exactly once per job).
    case record(JobRecord)
    /// Append this event to the journal.
    case journal(JournalEvent)
    /// An invalid, duplicate or late message was ignored (log it).
    case drop(reason: String)
    /// The job will be retried after this backoff.
    case requeue(JobID, after: Duration)
    /// Reply REFUSED to the worker (e.g. unknown worker: it should send READY).
    case refuse(WorkerID, Refusal)
    /// The worker's principal gets no jobs for `seconds`: `expiries` of its leases expired in a row (log it).
    case quarantine(WorkerID, principal: String, seconds: Double, expiries: Int)
}
