public import ArgumentParser
public import Coordinator
import Sweep
import Wire

/// Timing and retry knobs shared by `coordinator` and `sweep`.
public struct SchedulingOptions: ParsableArguments {
    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between heartbeats (workers are told the lease timeout).")
    public var heartbeatInterval: Double = 1
    @Option(help: "Missed heartbeats after which a worker's jobs are given to others.")
    public var liveness: Int = WireProtocol.heartbeatLiveness
    @Option(name: .customLong("max-retries"), help: "Retries of a failed attempt before the job is recorded as failed.")
    var maxRetries: Int = 3
    @Option(name: .customLong("retry-backoff"), help: "Seconds before the first retry (doubled each time, at most 60).")
    var retryBackoff: Double = 1
    @Option(name: .customLong("drain-timeout"), help: "On SIGINT/SIGTERM, seconds to wait for running jobs.")
    var drainTimeout: Double = 30
    @Flag(name: .customLong("rerun-changed-defaults"),
          help: "Resume although a model or task default changed since the sweep started: jobs that leave the field out run again under new ids.")
    var rerunChangedDefaults = false
    @Option(name: .customLong("max-worker-slots"), help: "Most jobs one worker holds at once, whatever slots it claims (also capped by the cores it reports).")
    var maxWorkerSlots: Int = 64
    @Option(name: .customLong("fail-on-workers"), help: "A job is recorded failed only after its attempts failed on this many distinct workers (keys, with --keys), or on all connected ones when fewer.")
    var failOnWorkers: Int = 2
    @Option(name: .customLong("quarantine-after"), help: "A worker whose leases expire this many times in a row without a result gets no jobs for a while.")
    var quarantineAfter: Int = 3
    @Option(name: .customLong("quarantine-seconds"), help: "First quarantine length in seconds (doubled on each repeat, at most an hour).")
    var quarantineSeconds: Double = 60
    @Flag(name: .customLong("retry-failed"), help: "On resume, run jobs recorded failed again (their new record replaces the failure).")
    var retryFailed = false

    public init() {}

    public func validate() throws {
        guard heartbeatInterval > 0, heartbeatInterval <= 3600 else { throw ValidationError("--heartbeat-interval: use a number of seconds in (0, 3600]") }
        guard liveness >= 1 else { throw ValidationError("--liveness: use an integer ≥ 1") }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries: use an integer ≥ 0") }
        guard retryBackoff >= 0 else { throw ValidationError("--retry-backoff: use seconds ≥ 0") }
        guard drainTimeout >= 0 else { throw ValidationError("--drain-timeout: use seconds ≥ 0") }
        guard maxWorkerSlots >= 1 else { throw ValidationError("--max-worker-slots: use an integer ≥ 1") }
        guard failOnWorkers >= 1 else { throw ValidationError("--fail-on-workers: use an integer ≥ 1") }
        guard quarantineAfter >= 1 else { throw ValidationError("--quarantine-after: use an integer ≥ 1") }
        guard quarantineSeconds >= 0 else { throw ValidationError("--quarantine-seconds: use seconds ≥ 0") }
    }

    public func options(bind: String) -> CoordinatorOptions {
        let interval = Duration.seconds(heartbeatInterval)
        var scheduling = SchedulingPolicy(
            leaseTimeout: interval * liveness, maxRetries: maxRetries, backoffBase: .seconds(retryBackoff),
            versions: Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version)))
        scheduling.maxSlotsPerWorker = maxWorkerSlots
        scheduling.failureWorkers = failOnWorkers
        scheduling.quarantineAfter = quarantineAfter
        scheduling.quarantine = .seconds(quarantineSeconds)
        var options = CoordinatorOptions(bind: bind, heartbeatInterval: interval, tick: min(.milliseconds(50), interval / 4),
                                         drainTimeout: .seconds(drainTimeout), scheduling: scheduling)
        options.retryFailed = retryFailed
        options.acceptChangedDefaults = rerunChangedDefaults
        return options
    }
}

/// No plain-text listener beyond this machine: a non-loopback bind needs CURVE keys (`--keys`) or `--insecure`.
enum BindPolicy {
    /// Throws unless `endpoint` is loopback, ipc or inproc, or traffic is `encrypted`, or `insecure` is set.
    static func check(_ endpoint: String, insecure: Bool, encrypted: Bool) throws {
        guard !insecure, !encrypted, endpoint.hasPrefix("tcp://") else { return }
        let hostAndPort = endpoint.dropFirst("tcp://".count)
        let host = hostAndPort.hasPrefix("[") ? String(hostAndPort.prefix { $0 != "]" }.dropFirst())
                                              : String(hostAndPort.prefix { $0 != ":" })
        if host == "localhost" || host.hasPrefix("127.") || host == "::1" { return }
        throw CLIError("refusing to listen on \(endpoint) without encryption: anyone who can reach it could read jobs and forge results. Make keys with `guidance keys generate --out DIR` and pass --keys DIR (workers too), bind tcp://127.0.0.1:PORT, or pass --insecure on a network you trust")
    }
}
