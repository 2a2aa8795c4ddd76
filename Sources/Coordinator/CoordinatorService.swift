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

    var store: ResultStore!
    var state: CoordinatorState!
    var router: ZMQSocket!
    /// The ZAP allow-list handler while CURVE is on (nil otherwise).
    var zap: ZAPHandler?
    /// Routing ids of peers by the worker id the state machine knows them as.
    var identities: [WorkerID: Data] = [:]
    /// With CURVE: the key (Z85) that owns each worker id (the first to use it this run).
    var keyOfWorker: [WorkerID: String] = [:]
    /// The peer whose message is being handled (for rate-limited log lines about it); nil for timers.
    var currentPeer: WorkerID?
    var peerWarnings = PeerWarnings()
    /// Records and journal events of this loop turn, written with one fsync each at its end (`flushStore`).
    var recordBuffer: [JobRecord] = []
    var journalBuffer: [JournalEvent] = []
    /// JOBs of this loop turn, sent once the turn's records and journal are durable (`commit`).
    var jobOutbox: [(JobAssignment, WorkerID)] = []
    /// The spec JSON (`JobSpec.jsonBytes`) of each job sent and not yet recorded, encoded at its first JOB and reused
    /// for every later attempt and for its results line and CSV row; dropped with the job's record. Encoded at
    /// dispatch rather than at planning, so that a huge grid holds bytes only for the jobs in flight.
    var specJSON: [JobID: Data] = [:]
    /// Events caused by carrying out actions (an unreachable worker), handled before the turn ends.
    var followUps: [CoordinatorEvent] = []
    var recordedThisRun = 0
    /// RESULTs of this loop turn that will count: their records are written (one fsync) before the state
    /// machine sees them (`flushResults`), or they are turned away when the results directory fails.
    var resultInbox: [PendingResult] = []
    /// Records already written by `flushResults` (the state machine's `.record` for them is only counted).
    var prewritten: Set<JobID> = []
    /// Why the results directory cannot be written right now; nil when it can.
    var storeProblem: String?
    var nextStoreRetry = 0.0
    var nextStoreComplaint = 0.0
    var draining = false
    /// Per-peer limit on STATUS/HEARTBEAT/FETCH/READY floods.
    var rateLimiter = PeerRateLimiter()
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    let wallAtStart = Date().timeIntervalSince1970

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
        started = clock.now
    }

    /// Seconds on the state machine's clock: wall time at start plus monotonic time since.
    var now: Double { wallAtStart + (clock.now - started).seconds }

    /// Opens the store, binds, calls `onListening` with the bound endpoint, then runs until every job has a
    /// record or a drain completes. Throws `StoreError` (results directory), `CoordinatorServiceError`.
    public func run(onListening: (String) -> Void = { _ in }) throws -> Summary {
        let store = try ResultStore.open(at: resultsDirectory, manifestYAML: manifestYAML, plan: plan,
                                         acceptChangedDefaults: options.acceptChangedDefaults, fault: options.storeFault)
        self.store = store
        for note in store.recoveryNotes { logger.warning("results directory repaired: \(note)") }
        var scheduling = options.scheduling
        scheduling.leasePrefix = "L" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
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
        defer {
            // Close, then terminate the context: that blocks until queued messages (the DISCONNECTs) are out
            // or the linger time passes. Without it, a process that exits right after `run` drops them.
            self.router?.close()
            self.router = nil
            zap?.stop()
            zap = nil
            context.close()
        }
        let router = try ZMQSocket(context, kind: .router)
        self.router = router
        let checkpoints = plan.jobs.contains { !$0.dependencies.isEmpty }  // guides' checkpoints come with RESULTs
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
        publishStatus()  // before onListening: a caller can see that a resumed sweep has nothing left to run
        logger.info("sweep \(sweepName): \(plan.count) jobs; listening on \(endpoint)")
        onListening(endpoint)

        try execute(state.start(now: now))
        try commit()
        publishStatus()
        return try loop(router)
    }

    private func loop(_ router: ZMQSocket) throws -> Summary {
        let poller = ZMQPoller([router])
        var frames: [Data] = []
        var nextHeartbeat = now
        var nextSnapshot = now
        var drainDeadline = Double.infinity
        var awake = now
        while true {
            _ = try poller.poll(timeout: options.tick)
            excuseStall(since: &awake)
            if options.curve != nil, zap?.isRunning != true {
                throw CoordinatorServiceError.authenticationStopped  // fail closed: libzmq would now let anyone in
            }
            // A bounded batch, so that ticks, heartbeats and the journal's fsync keep their pace under load.
            let batchEnd = now + options.tick.seconds
            var budget = 1_000
            while budget > 0, now < batchEnd, try router.receive(into: &frames, timeout: .zero) {
                budget -= 1
                try receive(frames)
            }
            try handle(.tick)
            if control.isDrainRequested && !draining {
                draining = true
                state.isDispatchPaused = true
                drainDeadline = now + options.drainTimeout.seconds
                logger.notice("draining: no new jobs; waiting up to \(options.drainTimeout) for \(state.activeLeaseCount) running job(s)")
            }
            if now >= nextHeartbeat {
                nextHeartbeat = now + options.heartbeatInterval.seconds
                for worker in state.workerIDs { send(.heartbeat(Heartbeat()), to: worker) }
            }
            try commit()
            if now >= nextSnapshot {
                nextSnapshot = now + options.snapshotInterval.seconds
                publishStatus()
            }
            if state.isFinished, storeProblem == nil, recordBuffer.isEmpty {
                logger.info("every job has a record; telling the workers")
                return try finish(reason: "sweep finished", finished: true)
            }
            if draining && (state.activeLeaseCount == 0 || now >= drainDeadline) {
                if state.activeLeaseCount > 0 {
                    logger.warning("drain timeout: \(state.activeLeaseCount) job(s) still running will run again on resume")
                }
                return try finish(reason: "coordinator stopping", finished: false)
            }
        }
    }

    private func finish(reason: String, finished: Bool) throws -> Summary {
        state.isDispatchPaused = true
        try commit()
        for worker in state.workerIDs { send(.disconnect(Disconnect(reason: reason)), to: worker) }
        followUps.removeAll()
        try untilQuiet()
        jobOutbox.removeAll()  // none while paused; nobody would run them now anyway
        try flushResults()
        flushStore()
        publishStatus()
        return Summary(finished: finished, jobs: state.jobCounts, recordedThisRun: recordedThisRun)
    }

    /// After the goodbyes: keep reading (late results still count) until the workers fall silent, at most
    /// 2 s. Closing while their heartbeats still arrive would make the kernel reset the connections, and a
    /// reset can destroy the DISCONNECT still unread on the worker's side.
    private func untilQuiet() throws {
        let quiet = options.heartbeatInterval.seconds * 1.5
        let deadline = now + max(2, quiet)
        var lastHeard = now
        var frames: [Data] = []
        while now < deadline, now - lastHeard < quiet {
            if try router.receive(into: &frames, timeout: .milliseconds(20)) {
                lastHeard = now
                try receive(frames)
                followUps.removeAll()
            }
        }
    }

    /// A loop turn much longer than the poll's tick means this process did not run (stopped, swapped, starved,
    /// a slow fsync): the workers' silence meanwhile is excused before any timer can fire (`CoordinatorState.excuse`).
    private func excuseStall(since awake: inout Double) {
        let time = now
        let stall = time - awake - options.tick.seconds
        awake = time
        guard stall >= Self.noticedStall else { return }
        state.excuse(stall: stall, now: time)
        if stall >= 1 { logger.notice("the coordinator did not run for \(String(format: "%.1f", stall)) s; workers' silence meanwhile is excused") }
    }

    /// Messages queued to one peer before it counts as not taking messages (it is then treated as gone): a worker
    /// holds a few JOBs and gets a HEARTBEAT a second, so 1,000 is minutes of a peer that does not read, and bounds
    /// the memory a peer that sends STATUS without reading the replies can take. Also the inbound queue per peer
    /// (libzmq's default, set explicitly): past it libzmq stops reading that connection, nothing is lost.
    static let queuedPerPeer = 1_000

    /// Stalls shorter than this (seconds beyond the tick) are ordinary scheduling jitter.
    static let noticedStall = 0.1

    /// Feeds one event to the state machine and carries out its actions (sends and writes wait for `commit`).
    func handle(_ event: CoordinatorEvent) throws {
        try execute(state.handle(event, now: now))
    }

    func publishStatus() { control.publish(statusReply()) }
}
