/// What the scheduler needs to know about a finished job: how it ended and the checkpoint it left.
public struct JobOutcome: Hashable, Sendable {
    public var status: JobStatus
    /// SHA-256 (hex) of the checkpoint, when one was produced.
    public var artifact: String?

    public init(status: JobStatus, artifact: String? = nil) {
        self.status = status
        self.artifact = artifact
    }

    /// Whether a job that depends on this one (a trained-guide job) can run: it finished without
    /// failing and left a checkpoint.
    public var canFeedDependents: Bool {
        if case .failed = status { return false }
        return artifact != nil
    }
}

extension JobRecord {
    public var outcome: JobOutcome { JobOutcome(status: status, artifact: artifact) }
}
