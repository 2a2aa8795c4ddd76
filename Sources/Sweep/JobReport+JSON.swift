extension JobReport {
    /// Writes this report as the JSON object `JSONCoding`'s encoder writes for it (keys sorted, absent optionals
    /// left out, non-finite numbers as "nan"/"inf"/"-inf"), without `JSONEncoder`; with `specJSON` (a spec's JSON,
    /// `JobSpec.jsonBytes`) it is the whole `JobRecord`, `spec` in its sorted place. A coordinator writes one per
    /// finished job (its results line) and a worker one per RESULT. Decodes to the same value as the encoder's
    /// output (`JobReportJSONTests`); the bytes may differ in how a number prints (`-0` as `0`).
    public func writeJSON(to w: inout CanonicalJSON.Writer, specJSON: [UInt8]? = nil) {
        w.beginObject()
        if let artifact { w.field("artifact", artifact) }
        w.key("curves")
        w.beginArray()
        for point in curves { point.writeJSON(to: &w) }
        w.endArray()
        w.field("device", device)
        if let environment { w.key("environment"); environment.writeJSON(to: &w) }
        w.field("finished_at", finishedAt.description)
        if let guideCache { w.key("guide_cache"); guideCache.writeJSON(to: &w) }
        w.field("id", id.rawValue)
        w.key("mapping")
        w.beginArray()
        for pair in mapping {
            w.beginObject()
            w.field("guide", pair.guide)
            w.field("target", pair.target)
            w.endObject()
        }
        w.endArray()
        w.key("metrics")
        w.beginObject()
        for name in metrics.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { w.field(name, metrics[name]!) }
        w.endObject()
        if let predictions {
            w.key("predictions")
            w.beginArray()
            for prediction in predictions { w.int(prediction) }
            w.endArray()
        }
        if let specJSON { w.key("spec"); w.raw(specJSON) }
        w.field("started_at", startedAt.description)
        w.key("status")
        status.writeJSON(to: &w)
        w.field("steps_per_second", stepsPerSecond)
        w.key("versions")
        w.beginObject()
        w.field("libtorch", versions.libtorch)
        w.field("package", versions.package)
        w.field("protocol", versions.protocol)
        w.endObject()
        w.field("wall_seconds", wallSeconds)
        w.key("worker")
        w.beginObject()
        w.field("host", worker.host)
        w.field("id", worker.id)
        w.endObject()
        w.endObject()
    }

    /// The JSON keys `writeJSON` can write (without `spec`), for the test that keeps it in step with the type.
    public static let jsonKeys: Set<String> = [
        "artifact", "curves", "device", "environment", "finished_at", "guide_cache", "id", "mapping", "metrics",
        "predictions", "started_at", "status", "steps_per_second", "versions", "wall_seconds", "worker",
    ]
}

extension JobStatus {
    func writeJSON(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        switch self {
        case .ok:
            w.field("state", "ok")
        case .diverged(let step, let loss):
            w.field("last_finite_loss", loss)
            w.field("state", "diverged")
            w.field("step", step)
        case .failed(let error, let retryable):
            w.field("error", error)
            w.field("retryable", retryable)
            w.field("state", "failed")
        }
        w.endObject()
    }
}

extension CurvePoint {
    func writeJSON(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("guidance_loss", ifPresent: guidanceLoss)
        w.field("step", step)
        w.field("task_loss", ifPresent: taskLoss)
        w.field("train_loss", ifPresent: trainLoss)
        w.field("val_loss", ifPresent: valLoss)
        w.field("val_metric", ifPresent: valMetric)
        w.endObject()
    }
}

extension EngineEnvironment {
    func writeJSON(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        if let atenCapability { w.field("aten_capability", atenCapability) }
        w.field("blas", blas)
        if let blasCore { w.field("blas_core", blasCore) }
        if let blasCoreReason { w.field("blas_core_reason", blasCoreReason) }
        w.field("blas_version", blasVersion)
        w.field("cpu", cpu)
        w.field("threads", threads)
        w.endObject()
    }
}

extension GuideCacheUse {
    func writeJSON(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("build_seconds", buildSeconds)
        w.field("bytes", bytes)
        w.field("examples", examples)
        if let reason { w.field("reason", reason) }
        w.field("shared", shared)
        w.key("taps")
        w.beginObject()
        for name in taps.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) { w.field(name, taps[name]!) }
        w.endObject()
        w.field("used", used)
        w.endObject()
    }
}
