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
    /// BLAS, kernels, threads and CPU of the worker process (absent from older workers).
    public var engine: EngineEnvironment?
    /// The worker's guide caches so far (absent from older workers and from workers without a trainer).
    public var guideCache: GuideCacheStatistics?

    public init(worker: String, host: String, cores: Int, devices: [String], slots: Int, versions: Versions,
                engine: EngineEnvironment? = nil, guideCache: GuideCacheStatistics? = nil) {
        self.worker = worker
        self.host = host
        self.cores = cores
        self.devices = devices
        self.slots = slots
        self.versions = versions
        self.engine = engine
        self.guideCache = guideCache
    }

    enum CodingKeys: String, CodingKey {
        case worker, host, cores, devices, slots, versions, engine, guideCache = "guide_cache"
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
    /// Whether other jobs use this job's trained network as their guide: the worker then sends the
    /// checkpoint as RESULT's binary frame. Absent in JSON means false.
    public var saveCheckpoint: Bool

    public init(id: JobID, spec: JobSpec, lease: LeaseID, attempt: Int, leaseSeconds: Double, guideArtifact: String? = nil,
                saveCheckpoint: Bool = false) {
        self.id = id
        self.spec = spec
        self.lease = lease
        self.attempt = attempt
        self.leaseSeconds = leaseSeconds
        self.guideArtifact = guideArtifact
        self.saveCheckpoint = saveCheckpoint
    }

    enum CodingKeys: String, CodingKey {
        case id, spec, lease, attempt, leaseSeconds = "lease_seconds", guideArtifact = "guide_artifact"
        case saveCheckpoint = "save_checkpoint"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(JobID.self, forKey: .id)
        spec = try c.decode(JobSpec.self, forKey: .spec)
        lease = try c.decode(LeaseID.self, forKey: .lease)
        attempt = try c.decode(Int.self, forKey: .attempt)
        leaseSeconds = try c.decode(Double.self, forKey: .leaseSeconds)
        guideArtifact = try c.decodeIfPresent(String.self, forKey: .guideArtifact)
        saveCheckpoint = try c.decodeIfPresent(Bool.self, forKey: .saveCheckpoint) ?? false
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
    /// The leased job and its one-line summary; filled in by the coordinator in STATUS_REPLY.
    public var job: JobID?
    public var summary: String?

    public init(lease: LeaseID, step: Int, totalSteps: Int? = nil, trainLoss: Double? = nil, taskLoss: Double? = nil,
                guidanceLoss: Double? = nil, job: JobID? = nil, summary: String? = nil) {
        self.lease = lease
        self.step = step
        self.totalSteps = totalSteps
        self.trainLoss = trainLoss
        self.taskLoss = taskLoss
        self.guidanceLoss = guidanceLoss
        self.job = job
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case lease, step, totalSteps = "total_steps", trainLoss = "train_loss", taskLoss = "task_loss"
        case guidanceLoss = "guidance_loss", job, summary
    }
}

/// HEARTBEAT: alive; from a worker, one entry per lease it holds (empty when idle).
public struct Heartbeat: Codable, Hashable, Sendable {
    public var leases: [LeaseProgress]
    /// The worker's guide caches now (absent from the coordinator's heartbeats, older workers and workers without
    /// a trainer).
    public var guideCache: GuideCacheStatistics?

    public init(leases: [LeaseProgress] = [], guideCache: GuideCacheStatistics? = nil) {
        self.leases = leases
        self.guideCache = guideCache
    }

    enum CodingKeys: String, CodingKey {
        case leases, guideCache = "guide_cache"
    }
}

/// RESULT: the record of a finished job, less its spec (the coordinator has the spec of every job it leased, and
/// writes the results line from its own copy; protocol 2); the checkpoint, if any, in the binary frame.
public struct ResultReport: Codable, Hashable, Sendable {
    public var lease: LeaseID
    public var record: JobReport

    public init(lease: LeaseID, record: JobReport) {
        self.lease = lease
        self.record = record
    }

    /// The report of `record` (its spec left out).
    public init(lease: LeaseID, record: JobRecord) {
        self.init(lease: lease, record: JobReport(record))
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
    /// The sweep's name.
    public var sweep: String?
    /// Seconds since this coordinator run started.
    public var elapsedSeconds: Double?
    /// Estimated seconds until every job has a record (at this run's rate so far); nil until a job finished.
    public var etaSeconds: Double?
    /// Whether the coordinator is draining (dispatching nothing new).
    public var draining: Bool?

    public init(jobs: [String: Int], workers: [WorkerStatus], sweep: String? = nil, elapsedSeconds: Double? = nil,
                etaSeconds: Double? = nil, draining: Bool? = nil) {
        self.jobs = jobs
        self.workers = workers
        self.sweep = sweep
        self.elapsedSeconds = elapsedSeconds
        self.etaSeconds = etaSeconds
        self.draining = draining
    }

    enum CodingKeys: String, CodingKey {
        case jobs, workers, sweep, elapsedSeconds = "elapsed_seconds", etaSeconds = "eta_seconds", draining
    }

    /// Jobs in the plan (sum of the counts).
    public var total: Int { jobs.values.reduce(0, +) }
}

/// One worker in a status reply.
public struct WorkerStatus: Codable, Hashable, Sendable {
    public var worker: String
    public var host: String
    /// Free slots.
    public var slots: Int
    public var leases: [LeaseProgress]
    /// The worker's BLAS, kernels, threads and CPU, as its READY said (absent for older workers).
    public var engine: EngineEnvironment?
    /// The worker's guide caches, as its latest READY or HEARTBEAT said (absent for older workers).
    public var guideCache: GuideCacheStatistics?

    public init(worker: String, host: String, slots: Int, leases: [LeaseProgress], engine: EngineEnvironment? = nil,
                guideCache: GuideCacheStatistics? = nil) {
        self.worker = worker
        self.host = host
        self.slots = slots
        self.leases = leases
        self.engine = engine
        self.guideCache = guideCache
    }

    enum CodingKeys: String, CodingKey {
        case worker, host, slots, leases, engine, guideCache = "guide_cache"
    }
}

/// REFUSED: the peer's message was not accepted, why, and what to do.
public struct Refusal: Codable, Hashable, Sendable {
    public var reason: String
    public var hint: String?
    /// The lease whose RESULT was not taken (optional, absent for other refusals).
    public var lease: LeaseID?
    /// When set with `lease`: the coordinator cannot store results right now (disk full, unwritable results
    /// directory); the worker keeps the RESULT, keeps heartbeating its lease and sends it again after this many
    /// seconds.
    public var retryAfterSeconds: Double?

    public init(reason: String, hint: String? = nil, lease: LeaseID? = nil, retryAfterSeconds: Double? = nil) {
        self.reason = reason
        self.hint = hint
        self.lease = lease
        self.retryAfterSeconds = retryAfterSeconds
    }
}
