/// A `JobRecord` without its spec, with the same JSON keys as `JobRecord` (`spec` absent): what a worker's RESULT
/// carries (the coordinator has the spec from its plan) and what the store encodes before splicing in the spec's
/// JSON, encoded once (`ResultsLine`). A field added to `JobRecord` must be added here too; `JobReportTests` fails
/// until it is.
public struct JobReport: Codable, Hashable, Sendable {
    public var id: JobID
    public var status: JobStatus
    public var mapping: [TapPair]
    public var metrics: [String: Double]
    public var curves: [CurvePoint]
    public var wallSeconds: Double
    public var stepsPerSecond: Double
    public var worker: WorkerRef
    public var versions: Versions
    public var device: String
    public var startedAt: Timestamp
    public var finishedAt: Timestamp
    public var predictions: [Int]?
    public var artifact: String?
    public var environment: EngineEnvironment?
    public var guideCache: GuideCacheUse?

    /// `record` less its spec.
    public init(_ record: JobRecord) {
        id = record.id
        status = record.status
        mapping = record.mapping
        metrics = record.metrics
        curves = record.curves
        wallSeconds = record.wallSeconds
        stepsPerSecond = record.stepsPerSecond
        worker = record.worker
        versions = record.versions
        device = record.device
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        predictions = record.predictions
        artifact = record.artifact
        environment = record.environment
        guideCache = record.guideCache
    }

    /// The full record, with `spec` (the coordinator's copy of job `id`'s spec).
    public func record(spec: JobSpec) -> JobRecord {
        JobRecord(id: id, spec: spec, status: status, mapping: mapping, metrics: metrics, curves: curves,
                  wallSeconds: wallSeconds, stepsPerSecond: stepsPerSecond, worker: worker, versions: versions,
                  device: device, startedAt: startedAt, finishedAt: finishedAt, predictions: predictions,
                  artifact: artifact, environment: environment, guideCache: guideCache)
    }

    /// Optimizer steps the job got through: its last curve point's step, 0 without a curve.
    public var stepsDone: Int { curves.last?.step ?? 0 }

    enum CodingKeys: String, CodingKey {
        case id, status, mapping, metrics, curves, wallSeconds = "wall_seconds"
        case stepsPerSecond = "steps_per_second", worker, versions, device, startedAt = "started_at"
        case finishedAt = "finished_at", predictions, artifact, environment, guideCache = "guide_cache"
    }
}
