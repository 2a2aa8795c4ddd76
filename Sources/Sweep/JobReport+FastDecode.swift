public import Config

extension JobReport {
    /// The report in `json` (a `ConfigValue(json:)` tree of the object `JSONCoding`'s encoder writes), read without
    /// `JSONDecoder`; nil wherever that decoder would throw (the caller then decodes with it, for the error's
    /// path). `JobReportJSONTests` checks that both give the same value.
    public init?(fields f: JSONFields) {
        guard let id = f.string("id"), let status = JobStatus(fields: f.object("status")),
              let mappingValues = f.array("mapping"), let metricValues = f.object("metrics"),
              let curveValues = f.array("curves"), let wallSeconds = f.double("wall_seconds"),
              let stepsPerSecond = f.double("steps_per_second"),
              let worker = f.object("worker"), let workerID = worker.string("id"), let host = worker.string("host"),
              let versions = f.object("versions"), let package = versions.string("package"),
              let libtorch = versions.string("libtorch"), let protocolVersion = versions.int("protocol"),
              let device = f.string("device"),
              let startedAt = f.string("started_at").flatMap(Timestamp.init(iso:)),
              let finishedAt = f.string("finished_at").flatMap(Timestamp.init(iso:)),
              let predictions = f.optional("predictions", { value -> [Int]? in
                  guard case .array(let elements)? = value else { return nil }
                  let numbers = elements.compactMap { JSONFields.int($0) }
                  return numbers.count == elements.count ? numbers : nil
              }),
              let artifact = f.optional("artifact", JSONFields.string),
              let environment = f.optional("environment", { EngineEnvironment(fields: JSONFields($0)) }),
              let guideCache = f.optional("guide_cache", { GuideCacheUse(fields: JSONFields($0)) })
        else { return nil }
        var mapping: [TapPair] = []
        mapping.reserveCapacity(mappingValues.count)
        for value in mappingValues {
            guard let pair = JSONFields(value), let guide = pair.string("guide"), let target = pair.string("target") else { return nil }
            mapping.append(TapPair(guide: guide, target: target))
        }
        var metrics: [String: Double] = [:]
        metrics.reserveCapacity(metricValues.members.count)
        for (name, value) in metricValues.members {
            guard let number = JSONFields.double(value) else { return nil }
            metrics[name] = number
        }
        var curves: [CurvePoint] = []
        curves.reserveCapacity(curveValues.count)
        for value in curveValues {
            guard let point = CurvePoint(fields: JSONFields(value)) else { return nil }
            curves.append(point)
        }
        self.id = JobID(rawValue: id)
        self.status = status
        self.mapping = mapping
        self.metrics = metrics
        self.curves = curves
        self.wallSeconds = wallSeconds
        self.stepsPerSecond = stepsPerSecond
        self.worker = WorkerRef(id: workerID, host: host)
        self.versions = Versions(package: package, libtorch: libtorch, protocol: protocolVersion)
        self.device = device
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.predictions = predictions
        self.artifact = artifact
        self.environment = environment
        self.guideCache = guideCache
    }
}

extension JobStatus {
    init?(fields f: JSONFields?) {
        guard let f, let state = f.string("state") else { return nil }
        switch state {
        case "ok": self = .ok
        case "diverged":
            guard let step = f.int("step"), let loss = f.double("last_finite_loss") else { return nil }
            self = .diverged(step: step, lastFiniteLoss: loss)
        case "failed":
            guard let error = f.string("error"), let retryable = f.optional("retryable", JSONFields.bool) else { return nil }
            self = .failed(error: error, retryable: retryable ?? false)
        default: return nil
        }
    }
}

extension CurvePoint {
    init?(fields f: JSONFields?) {
        guard let f, let step = f.int("step"),
              let trainLoss = f.optional("train_loss", JSONFields.double),
              let taskLoss = f.optional("task_loss", JSONFields.double),
              let guidanceLoss = f.optional("guidance_loss", JSONFields.double),
              let valLoss = f.optional("val_loss", JSONFields.double),
              let valMetric = f.optional("val_metric", JSONFields.double)
        else { return nil }
        self.init(step: step, trainLoss: trainLoss, taskLoss: taskLoss, guidanceLoss: guidanceLoss, valLoss: valLoss,
                  valMetric: valMetric)
    }
}

extension EngineEnvironment {
    init?(fields f: JSONFields?) {
        guard let f, let blas = f.string("blas"), let blasVersion = f.string("blas_version"),
              let threads = f.int("threads"), let cpu = f.string("cpu"),
              let blasCore = f.optional("blas_core", JSONFields.string),
              let blasCoreReason = f.optional("blas_core_reason", JSONFields.string),
              let atenCapability = f.optional("aten_capability", JSONFields.string)
        else { return nil }
        self.init(blas: blas, blasVersion: blasVersion, blasCore: blasCore, blasCoreReason: blasCoreReason,
                  threads: threads, cpu: cpu, atenCapability: atenCapability)
    }
}

extension GuideCacheUse {
    init?(fields f: JSONFields?) {
        guard let f, let used = f.bool("used"), let reason = f.optional("reason", JSONFields.string),
              let tapFields = f.object("taps"), let bytes = f.int("bytes"), let examples = f.int("examples"),
              let shared = f.bool("shared"), let buildSeconds = f.double("build_seconds")
        else { return nil }
        var taps: [String: String] = [:]
        for (name, value) in tapFields.members {
            guard let form = JSONFields.string(value) else { return nil }
            taps[name] = form
        }
        self.init(used: used, reason: reason, taps: taps, bytes: bytes, examples: examples, shared: shared,
                  buildSeconds: buildSeconds)
    }
}
