public import Store
public import Transport
public import Wire

/// How the coordinator's service runs: where it listens, its timing, and its scheduling policy.
public struct CoordinatorOptions: Sendable {
    /// ZeroMQ endpoint to bind (`tcp://127.0.0.1:5555`; `tcp://127.0.0.1:*` picks a free port).
    public var bind: String
    /// Heartbeats to workers are sent this often (the lease timeout is in `scheduling`). Default 1 s.
    public var heartbeatInterval: Duration
    /// Longest wait in the poll loop: timers (lease expiry, backoff) fire at this resolution. Default 50 ms.
    public var tick: Duration
    /// On a drain request, how long to wait for running jobs before exiting anyway. Default 30 s.
    public var drainTimeout: Duration
    /// Status snapshots for `CoordinatorControl` are refreshed this often. Default 250 ms.
    public var snapshotInterval: Duration
    public var scheduling: SchedulingPolicy
    /// CURVE encryption and the worker allow-list (`guidance coordinator --keys DIR`); nil: plain TCP (the
    /// command line refuses a non-loopback bind without keys unless `--insecure`).
    public var curve: CurveServerSettings?
    /// Run jobs recorded failed again when resuming (`--retry-failed`); their new record replaces the failure.
    public var retryFailed = false
    /// Resume although a model/task default changed since the sweep started (`--rerun-changed-defaults`).
    public var acceptChangedDefaults = false
    /// Adaptive seeds (manifest `seeds: {initial, max, until}`): the plan given to the service is then the worst case.
    public var adaptiveSeeds: AdaptiveSeeds?
    /// Test seam: makes the results directory's appends fail like a full disk while set (nil in production).
    public var storeFault: StoreWriteFault?

    public init(bind: String, heartbeatInterval: Duration = WireProtocol.heartbeatInterval, tick: Duration = .milliseconds(50),
                drainTimeout: Duration = .seconds(30), snapshotInterval: Duration = .milliseconds(250),
                scheduling: SchedulingPolicy = SchedulingPolicy(), curve: CurveServerSettings? = nil) {
        self.bind = bind
        self.heartbeatInterval = heartbeatInterval
        self.tick = tick
        self.drainTimeout = drainTimeout
        self.snapshotInterval = snapshotInterval
        self.scheduling = scheduling
        self.curve = curve
    }
}

/// CURVE server settings: the coordinator's key pair and the public keys of the workers let in.
public struct CurveServerSettings: Sendable {
    public var keyPair: CurveKeyPair
    public var allowedWorkers: Set<CurvePublicKey>

    public init(keyPair: CurveKeyPair, allowedWorkers: Set<CurvePublicKey>) {
        self.keyPair = keyPair
        self.allowedWorkers = allowedWorkers
    }
}
