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

    public init(host: String, devices: [String] = ["cpu"], versions: Versions, engine: EngineEnvironment? = nil) {
        self.host = host
        self.devices = devices
        self.versions = versions
        self.engine = engine
    }

    public init(_ ready: Ready) { self.init(host: ready.host, devices: ready.devices, versions: ready.versions, engine: ready.engine) }
}

/// Something that happened, fed to `CoordinatorState.handle(_:now:)`.
public enum CoordinatorEvent: Sendable {
    /// READY: the worker (new or reconnected) has `slots` free slots.
    case workerReady(WorkerID, slots: Int, info: WorkerInfo)
    /// HEARTBEAT: the worker is alive; progress of each lease it holds (empty when idle).
    case heartbeat(WorkerID, leases: [LeaseProgress])
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
}
