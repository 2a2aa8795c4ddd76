/// What came out of one job: one line of `results.jsonl`. Written by the trainer (or, for a job that
/// failed permanently, by the coordinator); read by the store and reports.
public struct JobRecord: Codable, Hashable, Sendable {
    public var id: JobID
    /// The full, resolved spec the job ran.
    public var spec: JobSpec
    public var status: JobStatus
    /// Guide tap → target tap pairs actually used (empty without guidance).
    public var mapping: [TapPair]
    /// Final metrics by name: `train_loss`, `val_loss`, `val_accuracy`, `test_loss`, `test_accuracy`,
    /// `guidance_loss`, ... (losses in nats per example, accuracies as fractions in [0, 1]).
    public var metrics: [String: Double]
    /// Training curve, one point per evaluation (and per logged step).
    public var curves: [CurvePoint]
    /// Wall-clock seconds of the job on the worker.
    public var wallSeconds: Double
    /// Optimizer steps per wall-clock second.
    public var stepsPerSecond: Double
    public var worker: WorkerRef
    public var versions: Versions
    /// Device the job ran on (`cpu`, `cuda:0`).
    public var device: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    /// Predicted class per test example, when `training.recordPredictions` is on.
    public var predictions: [Int]?
    /// SHA-256 (hex) of the checkpoint this job produced, stored as `artifacts/<sha256>.safetensors`.
    public var artifact: String?
    /// BLAS, kernels, threads and CPU of the process that ran the job (absent in older records and in records the
    /// coordinator writes for jobs that never ran).
    public var environment: EngineEnvironment?

    public init(
        id: JobID, spec: JobSpec, status: JobStatus, mapping: [TapPair] = [], metrics: [String: Double] = [:],
        curves: [CurvePoint] = [], wallSeconds: Double = 0, stepsPerSecond: Double = 0,
        worker: WorkerRef, versions: Versions, device: String, startedAt: Timestamp, finishedAt: Timestamp,
        predictions: [Int]? = nil, artifact: String? = nil, environment: EngineEnvironment? = nil
    ) {
        self.id = id
        self.spec = spec
        self.status = status
        self.mapping = mapping
        self.metrics = metrics
        self.curves = curves
        self.wallSeconds = wallSeconds
        self.stepsPerSecond = stepsPerSecond
        self.worker = worker
        self.versions = versions
        self.device = device
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.predictions = predictions
        self.artifact = artifact
        self.environment = environment
    }

    enum CodingKeys: String, CodingKey {
        case id, spec, status, mapping, metrics, curves, wallSeconds = "wall_seconds"
        case stepsPerSecond = "steps_per_second", worker, versions, device, startedAt = "started_at"
        case finishedAt = "finished_at", predictions, artifact, environment
    }
}

/// How a job ended. JSON: `{"state": "ok"}`, `{"state": "diverged", "step": 412, "last_finite_loss": 2.3}`,
/// `{"state": "failed", "error": "...", "retryable": false}`.
public enum JobStatus: Hashable, Sendable {
    case ok
    /// The loss became non-finite at `step`; `lastFiniteLoss` is the last finite training loss.
    case diverged(step: Int, lastFiniteLoss: Double)
    case failed(error: String, retryable: Bool)

    /// "ok", "diverged" or "failed".
    public var state: String {
        switch self {
        case .ok: return "ok"
        case .diverged: return "diverged"
        case .failed: return "failed"
        }
    }
}

extension JobStatus: Codable {
    private enum CodingKeys: String, CodingKey {
        case state, step, lastFiniteLoss = "last_finite_loss", error, retryable
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .state) {
        case "ok": self = .ok
        case "diverged":
            self = .diverged(step: try c.decode(Int.self, forKey: .step),
                             lastFiniteLoss: try c.decode(Double.self, forKey: .lastFiniteLoss))
        case "failed":
            self = .failed(error: try c.decode(String.self, forKey: .error),
                           retryable: try c.decodeIfPresent(Bool.self, forKey: .retryable) ?? false)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .state, in: c, debugDescription: "unknown status \"\(other)\" (allowed: ok, diverged, failed)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(state, forKey: .state)
        switch self {
        case .ok: break
        case .diverged(let step, let loss):
            try c.encode(step, forKey: .step)
            try c.encode(loss, forKey: .lastFiniteLoss)
        case .failed(let error, let retryable):
            try c.encode(error, forKey: .error)
            try c.encode(retryable, forKey: .retryable)
        }
    }
}

/// One guide tap → target tap pair, by tap names.
public struct TapPair: Codable, Hashable, Sendable {
    public var guide: String
    public var target: String

    public init(guide: String, target: String) {
        self.guide = guide
        self.target = target
    }
}

/// One point of a training curve. Absent values are omitted from the JSON.
public struct CurvePoint: Codable, Hashable, Sendable {
    /// Optimizer step (1-based: the number of updates done).
    public var step: Int
    /// Total training loss (task + α·guidance).
    public var trainLoss: Double?
    public var taskLoss: Double?
    public var guidanceLoss: Double?
    public var valLoss: Double?
    /// The task's validation metric (accuracy as a fraction, or perplexity for language models).
    public var valMetric: Double?

    public init(step: Int, trainLoss: Double? = nil, taskLoss: Double? = nil, guidanceLoss: Double? = nil,
                valLoss: Double? = nil, valMetric: Double? = nil) {
        self.step = step
        self.trainLoss = trainLoss
        self.taskLoss = taskLoss
        self.guidanceLoss = guidanceLoss
        self.valLoss = valLoss
        self.valMetric = valMetric
    }

    enum CodingKeys: String, CodingKey {
        case step, trainLoss = "train_loss", taskLoss = "task_loss", guidanceLoss = "guidance_loss"
        case valLoss = "val_loss", valMetric = "val_metric"
    }
}

/// Which worker ran a job.
public struct WorkerRef: Codable, Hashable, Sendable {
    public var id: String
    public var host: String

    public init(id: String, host: String) {
        self.id = id
        self.host = host
    }
}

/// Versions of the code that produced a record.
public struct Versions: Codable, Hashable, Sendable {
    /// This package's version (or git description).
    public var package: String
    /// libtorch version on the worker ("" where none, such as the coordinator).
    public var libtorch: String
    /// Wire protocol version.
    public var `protocol`: Int

    public init(package: String, libtorch: String, protocol: Int) {
        self.package = package
        self.libtorch = libtorch
        self.protocol = `protocol`
    }
}
