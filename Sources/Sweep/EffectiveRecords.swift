extension Array where Element == JobRecord {
    /// The records that count, one per job, in results.jsonl order: a job's first record, except that a
    /// `failed` record is replaced by a later record of the same job (a failed job run again with
    /// `--retry-failed`); the replacement takes the failed record's place. O(n).
    public var effective: [JobRecord] {
        var kept: [JobRecord] = []
        var position: [JobID: Int] = [:]
        for record in self {
            guard let at = position[record.id] else {
                position[record.id] = kept.count
                kept.append(record)
                continue
            }
            if case .failed = kept[at].status { kept[at] = record }
        }
        return kept
    }
}

extension JobOutcome {
    /// Whether a later record of the job may replace this one (`--retry-failed`): only a failure.
    public var isSupersedable: Bool {
        if case .failed = status { return true }
        return false
    }
}
