import Sweep

extension JournalEvent {
    /// This event's journal.jsonl line (with its newline), stamped `timeText` (a `Timestamp.description`, nil for
    /// none): the JSON object `JSONCoding`'s encoder writes (keys sorted; a control character in `reason` may be
    /// escaped differently but reads back the same), written directly because a busy coordinator appends three
    /// events per job and one loop turn's events share one time, formatted once.
    func line(timeText: String?) -> [UInt8] {
        var writer = CanonicalJSON.Writer()
        writer.beginObject()
        if let attempt { writer.field("attempt", attempt) }
        writer.field("event", kind.rawValue)
        writer.field("job", job.rawValue)
        if let lease { writer.field("lease", lease.rawValue) }
        if let reason { writer.field("reason", reason) }
        if let timeText { writer.field("time", timeText) }
        if let worker { writer.field("worker", worker) }
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(0x0a)
        return bytes
    }
}
