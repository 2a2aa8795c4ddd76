public import Sweep
public import Wire

/// Scheduling policy of the coordinator.
public struct CoordinatorConfig: Sendable {
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

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
