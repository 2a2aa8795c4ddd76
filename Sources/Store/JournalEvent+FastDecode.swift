import Config
import Foundation
import Sweep

/// A value that can read its own JSON line without `JSONDecoder` (nil where that decoder would throw, so that
/// `JSONLines.read` falls back to it and reports the error as before). Replaying a big journal is mostly this.
protocol FastJSONLine {
    init?(jsonLine: Data.SubSequence)
}

extension JournalEvent: FastJSONLine {
    /// The event in one journal line (`JournalEvent.line(timeText:)`'s or `JSONEncoder`'s JSON), read as
    /// `JSONCoding`'s decoder reads it; nil wherever that decoder would throw.
    init?(jsonLine: Data.SubSequence) {
        guard let f = JSONFields(ConfigValue(json: jsonLine)), let event = f.string("event"), let kind = Kind(rawValue: event),
              let job = f.string("job"), let lease = f.optional("lease", JSONFields.string),
              let worker = f.optional("worker", JSONFields.string), let attempt = f.optional("attempt", JSONFields.int),
              let reason = f.optional("reason", JSONFields.string),
              let time = f.optional("time", { JSONFields.string($0).flatMap(Timestamp.init(iso:)) })
        else { return nil }
        self.init(kind, job: JobID(rawValue: job), lease: lease.map(LeaseID.init(rawValue:)), worker: worker, attempt: attempt,
                  reason: reason, time: time)
    }
}
