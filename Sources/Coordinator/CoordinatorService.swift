public import Foundation
public import Logging
import Store
public import Sweep
import Transport
import Wire

/// The coordinator process: one thread (the caller of `run`) owns a ROUTER socket and the results store,
/// feeds messages and ticks to `CoordinatorState`, and carries out its actions: JOBs out, journal events
/// (fsync'd once per loop turn), records exactly once, artifacts in, FETCH answered, STATUS answered.
///
/// Garbled, unknown or wrong-version messages are logged and dropped (a wrong-version peer gets REFUSED
/// with the reason); they never stop the loop. A drain request (SIGINT/SIGTERM) stops dispatching, waits
/// for running jobs up to `drainTimeout`, says DISCONNECT to the workers and returns; running the same
/// sweep again on the same directory resumes it (the store replays what is done).
public final class CoordinatorService {
    /// How a run ended.
    public struct Summary: Sendable {
        /// Every job has a record.
        public var finished: Bool
        /// Job counts by state at the end (`done`, `failed`, `running`, `queued`, `waiting`).
        public var jobs: [String: Int]
        /// Records written by this run.
        public var recordedThisRun: Int
    }

    let plan: Plan
    let manifestYAML: String
    let resultsDirectory: URL
    let options: CoordinatorOptions
    let control: CoordinatorControl
    let logger: Logger
    let sweepName: String

    /// `plan` must be `Plan(manifest)` of `manifestYAML` (stored in the results directory for resume checks).
    public init(plan: Plan, manifestYAML: String, sweepName: String, resultsDirectory: URL, options: CoordinatorOptions,
                control: CoordinatorControl = CoordinatorControl(), logger: Logger) {
        self.plan = plan
        self.manifestYAML = manifestYAML
        self.sweepName = sweepName
        self.resultsDirectory = resultsDirectory
        self.options = options
        self.control = control
        self.logger = logger
    }

    /// Opens the store, binds, calls `onListening` with the bound endpoint, then runs until every job has a
    /// record or a drain completes. Throws `StoreError` (results directory), `CoordinatorServiceError`.
    public func run(onListening: (String) -> Void = { _ in }) throws -> Summary {
        let store = try ResultStore.open(at: resultsDirectory, manifestYAML: manifestYAML, plan: plan,
                                         acceptChangedDefaults: options.acceptChangedDefaults, fault: options.storeFault)
        for note in store.recoveryNotes { logger.warning("results directory repaired: \(note)") }
        var scheduling = options.scheduling
        scheduling.leasePrefix = "L" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let state: CoordinatorState
        if let adaptive = options.adaptiveSeeds {
            let schedule = SeedSchedule(plan: plan, policy: adaptive.policy, maxJobs: adaptive.maxJobs, records: try store.records())
            let active = adaptive.initialJobs.union(store.added).union(store.completed.keys)
            state = CoordinatorState(plan: plan, resumingFrom: store, config: scheduling, retryingFailed: options.retryFailed,
                                     seeds: schedule, active: active)
            logger.info("adaptive seeds: \(adaptive.initialJobs.count) initial jobs, \(active.count) in the sweep, at most \(plan.count)")
        } else {
            state = CoordinatorState(plan: plan, resumingFrom: store, config: scheduling, retryingFailed: options.retryFailed)
        }
        if !store.completed.isEmpty {
            logger.info("resuming: \(store.completed.count) of \(plan.count) jobs already have a record")
        }
        if options.retryFailed {
            let failed = store.completed.values.filter(\.isSupersedable).count
            logger.info("--retry-failed: \(failed) failed job(s) run again; their new records replace the failures")
        }

        let context = try ZMQContext()
        let router = try ZMQSocket(context, kind: .router)
        var zap: ZAPHandler?
        defer {
            // Close, then terminate the context: that blocks until queued messages (the DISCONNECTs) are out
            // or the linger time passes. Without it, a process that exits right after `run` drops them.
            router.close()
            zap?.stop()
            context.close()
        }
        let checkpoints = plan.hasDependencies  // guides' checkpoints come with RESULTs
        try router.set(.routerMandatory(true), .routerHandover(true),
                       .maxMessageSize(bytes: WireProtocol.largestFrameToCoordinator(checkpoints: checkpoints)),
                       .receiveHighWaterMark(messages: Self.queuedPerPeer),
                       .linger(.seconds(3)), .sendHighWaterMark(messages: Self.queuedPerPeer))
        if let curve = options.curve {
            let log = logger
            // Started before the bind: without a running handler libzmq lets in any client knowing our public key.
            // The operator (the holder of the coordinator's own secret key) may connect for the full status.
            zap = try ZAPHandler(context: context, allowedKeys: curve.allowedWorkers.union([curve.keyPair.publicKey])) { event in
                switch event {
                case .accepted(let peer): log.info("authenticated a connection from \(peer.address), key \(peer.fingerprint)")
                case .refused(let peer, let reason):
                    log.warning("refused a connection from \(peer.address), key \(peer.fingerprint) (\(peer.mechanism)): \(reason)")
                case .failed(let message): log.critical("\(message); new connections are no longer authenticated")
                }
            }
            try router.makeCurveServer(secretKey: curve.keyPair.secretKey)
            router.readUserIDs()
            logger.info("CURVE on: coordinator key \(curve.keyPair.publicKey.fingerprint), \(curve.allowedWorkers.count) worker key(s) allowed")
        }
        do {
            try router.bind(options.bind)
        } catch let error as ZMQError {
            throw CoordinatorServiceError.bind(endpoint: options.bind, reason: error.hint.isEmpty ? error.reason : "\(error.reason) (\(error.hint))")
        }
        let endpoint = (try? router.lastEndpoint()) ?? options.bind
        control.publish(endpoint: endpoint)
        let run = CoordinatorRun(service: self, store: store, state: state, router: router, zap: zap)
        run.publishStatus()  // before onListening: a caller can see that a resumed sweep has nothing left to run
        logger.info("sweep \(sweepName): \(plan.count) jobs; listening on \(endpoint)")
        onListening(endpoint)

        try run.execute(run.state.start(now: run.now))
        try run.commit()
        run.publishStatus()
        return try run.loop()
    }

    /// Messages queued to one peer before it counts as not taking messages (it is then treated as gone): a worker
    /// holds a few JOBs and gets a HEARTBEAT a second, so 1,000 is minutes of a peer that does not read, and bounds
    /// the memory a peer that sends STATUS without reading the replies can take. Also the inbound queue per peer
    /// (libzmq's default, set explicitly): past it libzmq stops reading that connection, nothing is lost.
    static let queuedPerPeer = 1_000
}
