import Config
import Sweep

// Hand-written JSON for the bodies a busy coordinator handles per job (RESULT in, HEARTBEAT both ways): the same
// JSON objects as `JSONCoding`'s encoder and decoder, without `Codable`'s per-field overhead. A body the fast reader
// does not accept is decoded with `JSONDecoder` (which then names the offending field), so errors read the same.
// `MessageFastJSONTests` checks both directions against `JSONEncoder`/`JSONDecoder`.

extension ResultReport {
    /// `{"lease": ..., "record": {...}}`, keys sorted.
    func jsonBytes() -> [UInt8] {
        var w = CanonicalJSON.Writer()
        w.beginObject()
        w.field("lease", lease.rawValue)
        w.key("record")
        record.writeJSON(to: &w)
        w.endObject()
        return w.bytes
    }

    /// Nil where `JSONDecoder` would throw (or on anything unusual).
    init?(fastJSON bytes: some Collection<UInt8>) {
        guard let f = JSONFields(ConfigValue(json: bytes)), let lease = f.string("lease"),
              let record = f.object("record").flatMap(JobReport.init(fields:)) else { return nil }
        self.init(lease: LeaseID(rawValue: lease), record: record)
    }
}

extension Heartbeat {
    /// `{"leases": [...]}`, keys sorted, absent optionals left out; without `guide_cache` (a heartbeat that carries
    /// the guide cache's counters is written by `JSONCoding`'s encoder).
    func jsonBytes() -> [UInt8] {
        var w = CanonicalJSON.Writer()
        w.beginObject()
        w.key("leases")
        w.beginArray()
        for progress in leases {
            w.beginObject()
            w.field("guidance_loss", ifPresent: progress.guidanceLoss)
            if let job = progress.job { w.field("job", job.rawValue) }
            w.field("lease", progress.lease.rawValue)
            w.field("step", progress.step)
            if let summary = progress.summary { w.field("summary", summary) }
            w.field("task_loss", ifPresent: progress.taskLoss)
            w.field("total_steps", ifPresent: progress.totalSteps)
            w.field("train_loss", ifPresent: progress.trainLoss)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }

    /// Nil where `JSONDecoder` would throw (or on anything unusual).
    init?(fastJSON bytes: some Collection<UInt8>) {
        // A body with the guide cache's counters goes to `JSONDecoder`, which reads every field.
        guard let f = JSONFields(ConfigValue(json: bytes)), f.isAbsent("guide_cache"), let entries = f.array("leases") else {
            return nil
        }
        var leases: [LeaseProgress] = []
        leases.reserveCapacity(entries.count)
        for entry in entries {
            guard let e = JSONFields(entry), let lease = e.string("lease"), let step = e.int("step"),
                  let totalSteps = e.optional("total_steps", JSONFields.int),
                  let trainLoss = e.optional("train_loss", JSONFields.double),
                  let taskLoss = e.optional("task_loss", JSONFields.double),
                  let guidanceLoss = e.optional("guidance_loss", JSONFields.double),
                  let job = e.optional("job", JSONFields.string),
                  let summary = e.optional("summary", JSONFields.string)
            else { return nil }
            leases.append(LeaseProgress(lease: LeaseID(rawValue: lease), step: step, totalSteps: totalSteps,
                                        trainLoss: trainLoss, taskLoss: taskLoss, guidanceLoss: guidanceLoss,
                                        job: job.map(JobID.init(rawValue:)), summary: summary))
        }
        self.init(leases: leases)
    }
}
