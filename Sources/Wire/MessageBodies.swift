public import Sweep

/// READY: a worker introduces itself (and again after every reconnect).
public struct Ready: Codable, Hashable, Sendable {
    /// Stable worker id (also its ZeroMQ routing id).
    public var worker: String
    public var host: String
    /// CPU cores the worker may use.
    public var cores: Int
    /// Devices it can train on (`cpu`, `cuda:0`, ...).
    public var devices: [String]
    /// Jobs it can take right now (credits).
    public var slots: Int
    public var versions: Versions

    public init(worker: String, host: String, cores: Int, devices: [String], slots: Int, versions: Versions) {
        self.worker = worker
        self.host = host
        self.cores = cores
        self.devices = devices
        self.slots = slots
        self.versions = versions
    }
}

/// JOB: run `spec` under `lease`.
public struct JobAssignment: Codable, Hashable, Sendable {
    public var id: JobID
    public var spec: JobSpec
    public var lease: LeaseID
    /// 1-based attempt number (test jobs use it for `fail_times`).
    public var attempt: Int
    /// The lease expires when no heartbeat for it arrives for this many seconds.
    public var leaseSeconds: Double
    /// SHA-256 of the trained guide's checkpoint to FETCH, for trained-guide jobs.
    public var guideArtifact: String?

    public init(id: JobID, spec: JobSpec, lease: LeaseID, attempt: Int, leaseSeconds: Double, guideArtifact: String? = nil) {
        self.id = id
        self.spec = spec
        self.lease = lease
        self.attempt = attempt
        self.leaseSeconds = leaseSeconds
        self.guideArtifact = guideArtifact
    }

    enum CodingKeys: String, CodingKey {
        case id, spec, lease, attempt, leaseSeconds = "lease_seconds", guideArtifact = "guide_artifact"
    }
}

/// Progress of one lease, carried by heartbeats.
public struct LeaseProgress: Codable, Hashable, Sendable {
    public var lease: LeaseID
    /// Optimizer steps done so far.
    public var step: Int
    public var totalSteps: Int?
    /// Latest losses (nats per example), when known.
    public var trainLoss: Double?
    public var taskLoss: Double?
    public var guidanceLoss: Double?

    public init(lease: LeaseID, step: Int, totalSteps: Int? = nil, trainLoss: Double? = nil, taskLoss: Double? = nil,
                guidanceLoss: Double? = nil) {
        self.lease = lease
        self.step = step
        self.totalSteps = totalSteps
        self.trainLoss = trainLoss
        self.taskLoss = taskLoss
        self.guidanceLoss = guidanceLoss
    }

    enum CodingKeys: String, CodingKey {
        case lease, step, totalSteps = "total_steps", trainLoss = "train_loss", taskLoss = "task_loss"
        case guidanceLoss = "guidance_loss"
    }
}

/// HEARTBEAT: alive; from a worker, one entry per lease it holds (empty when idle).
public struct Heartbeat: Codable, Hashable, Sendable {
    public var leases: [LeaseProgress]

    public init(leases: [LeaseProgress] = []) { self.leases = leases }
}

/// RESULT: the record of a finished job; the checkpoint, if any, in the binary frame.
public struct ResultReport: Codable, Hashable, Sendable {
    public var lease: LeaseID
    public var record: JobRecord

    public init(lease: LeaseID, record: JobRecord) {
        self.lease = lease
        self.record = record
    }
}

/// FAILED: the job could not finish; `retryable` says whether another attempt may succeed.
public struct FailureReport: Codable, Hashable, Sendable {
    public var lease: LeaseID
    public var job: JobID
    public var reason: String
    public var retryable: Bool

    public init(lease: LeaseID, job: JobID, reason: String, retryable: Bool) {
        self.lease = lease
        self.job = job
        self.reason = reason
        self.retryable = retryable
    }
}

/// FETCH / ARTIFACT header: an artifact by SHA-256 hex.
public struct ArtifactRef: Codable, Hashable, Sendable {
    public var sha256: String

    public init(sha256: String) { self.sha256 = sha256 }
}

/// DISCONNECT: going away, and why.
public struct Disconnect: Codable, Hashable, Sendable {
    public var reason: String

    public init(reason: String) { self.reason = reason }
}

/// STATUS: a request for the sweep's state (empty body).
public struct StatusRequest: Codable, Hashable, Sendable {
    public init() {}
}

/// STATUS_REPLY: job counts by state (`done`, `failed`, `running`, `queued`, `waiting`) and the workers.
public struct StatusReply: Codable, Hashable, Sendable {
    public var jobs: [String: Int]
    public var workers: [WorkerStatus]

    public init(jobs: [String: Int], workers: [WorkerStatus]) {
        self.jobs = jobs
        self.workers = workers
    }
}

/// One worker in a status reply.
public struct WorkerStatus: Codable, Hashable, Sendable {
    public var worker: String
    public var host: String
    /// Free slots.
    public var slots: Int
    public var leases: [LeaseProgress]

    public init(worker: String, host: String, slots: Int, leases: [LeaseProgress]) {
        self.worker = worker
        self.host = host
        self.slots = slots
        self.leases = leases
    }
}

/// REFUSED: the peer's message was not accepted, why, and what to do.
public struct Refusal: Codable, Hashable, Sendable {
    public var reason: String
    public var hint: String?

    public init(reason: String, hint: String? = nil) {
        self.reason = reason
        self.hint = hint
    }
}
