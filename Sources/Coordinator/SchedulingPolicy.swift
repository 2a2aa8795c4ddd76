public import Sweep
public import Wire

/// The coordinator's scheduling policy: lease timeout, retries and their backoff, per-worker caps, failure and quarantine
/// rules (`--heartbeat-interval`, `--max-retries`, `--max-worker-slots`, ... of `coordinator` and `sweep`).
public struct SchedulingPolicy: Sendable {
    /// A lease (and a silent worker) expires this long after its last heartbeat.
    /// Default heartbeat interval × liveness = 1 s × 10.
    public var leaseTimeout: Duration
    /// Retries after failed attempts (retryable failures and expired leases) before the job is recorded
    /// as failed; at most `maxRetries + 1` attempts. Default 3.
    public var maxRetries: Int
    /// Backoff before retry n (1-based): `backoffBase × 2^(n-1)`, at most `backoffMax`. Default 1 s, 60 s.
    public var backoffBase: Duration
    public var backoffMax: Duration
    /// Prefix of lease ids; make it unique per coordinator run (e.g. random) so leases of an earlier run
    /// are never mistaken for current ones. Default "L".
    public var leasePrefix: String
    /// Who signs records the coordinator writes itself (permanent failures).
    public var identity: WorkerRef
    public var versions: Versions
    /// Most leases one worker holds at once, whatever slots and cores it claims (`--max-worker-slots`). A
    /// worker's own cap is `min(maxSlotsPerWorker, cores it reported)`. Default 64.
    public var maxSlotsPerWorker = 64
    /// A job is recorded failed only once its failed attempts (retryable FAILED or expired lease) happened on
    /// this many distinct workers (`--fail-on-workers`; workers are counted by key with CURVE), or on every
    /// connected, non-quarantined one when there are fewer; besides, more than `maxRetries` attempts must have
    /// failed. Default 2.
    public var failureWorkers = 2
    /// A worker (by key with CURVE) whose leases expired this many times in a row, without a RESULT or FAILED in
    /// between, gets no jobs for `quarantine` (doubled each time it happens again, at most an hour). Default 3.
    public var quarantineAfter = 3
    /// First quarantine length. Default 60 s.
    public var quarantine: Duration = .seconds(60)

    public init(
        leaseTimeout: Duration = WireProtocol.heartbeatInterval * WireProtocol.heartbeatLiveness, maxRetries: Int = 3,
        backoffBase: Duration = .seconds(1), backoffMax: Duration = .seconds(60), leasePrefix: String = "L",
        identity: WorkerRef = WorkerRef(id: "coordinator", host: ""),
        versions: Versions = Versions(package: "", libtorch: "", protocol: Int(WireProtocol.version))
    ) {
        self.leaseTimeout = leaseTimeout
        self.maxRetries = maxRetries
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.leasePrefix = leasePrefix
        self.identity = identity
        self.versions = versions
    }

    /// Backoff before retry `failures` (1-based).
    func backoff(afterFailures failures: Int) -> Duration {
        var delay = backoffBase
        for _ in 1..<max(failures, 1) {
            delay = delay * 2
            if delay >= backoffMax { return backoffMax }
        }
        return min(delay, backoffMax)
    }
}
