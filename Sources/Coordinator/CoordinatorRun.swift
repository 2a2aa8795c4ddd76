import Foundation
import Logging
import Store
import Sweep
import Transport
import Wire

/// One run of a `CoordinatorService` (one call of `run`): the opened results store, the state machine built from it,
/// the bound ROUTER socket and the buffers of each loop turn. It exists only between the bind and the end of `run`,
/// so none of these is optional.
final class CoordinatorRun {
    typealias Summary = CoordinatorService.Summary

    let plan: Plan
    let resultsDirectory: URL
    let options: CoordinatorOptions
    let control: CoordinatorControl
    let logger: Logger
    let sweepName: String

    let store: ResultStore
    var state: CoordinatorState
    let router: ZMQSocket
    /// The ZAP allow-list handler while CURVE is on (nil otherwise).
    let zap: ZAPHandler?
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

    init(service: CoordinatorService, store: ResultStore, state: CoordinatorState, router: ZMQSocket, zap: ZAPHandler?) {
        plan = service.plan
        resultsDirectory = service.resultsDirectory
        options = service.options
        control = service.control
        logger = service.logger
        sweepName = service.sweepName
        self.store = store
        self.state = state
        self.router = router
        self.zap = zap
        started = clock.now
    }

    /// Seconds on the state machine's clock: wall time at start plus monotonic time since.
    var now: Double { wallAtStart + (clock.now - started).seconds }

    func loop() throws -> Summary {
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

    /// Stalls shorter than this (seconds beyond the tick) are ordinary scheduling jitter.
    static let noticedStall = 0.1

    /// Feeds one event to the state machine and carries out its actions (sends and writes wait for `commit`).
    func handle(_ event: CoordinatorEvent) throws {
        try execute(state.handle(event, now: now))
    }

    func publishStatus() { control.publish(statusReply()) }
}
