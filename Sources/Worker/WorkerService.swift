import Foundation
public import Logging
import Sweep
import Transport
import Wire

/// A worker process's network side: one thread (the caller of `run()`) owns the DEALER socket, keeps
/// heartbeating while training threads (one per slot) run jobs, and reconnects as `WorkerState` says.
/// Training threads never touch the socket: they post progress and results to a `WorkerMailbox`.
public final class WorkerService {
    /// How the worker ended.
    public enum Exit: Sendable, Equatable {
        /// DISCONNECT from the coordinator, or a stop request.
        case finished(reason: String)
        /// The worker cannot go on (protocol mismatch); exit non-zero.
        case failed(reason: String)
    }

    let options: WorkerOptions
    let executor: any JobExecutor
    let control: WorkerControl
    let logger: Logger
    let mailbox = WorkerMailbox()
    let cache: ArtifactCache
    let context: ZMQContext
    var socket: ZMQSocket?
    var poller: ZMQPoller?
    var state: WorkerState
    /// Messages that must reach the coordinator (READY, RESULT, FAILED, FETCH, DISCONNECT), in order;
    /// kept while no connection can take them.
    var outbox: [Message] = []
    /// Jobs by lease: running on a thread, waiting for a free slot, or waiting for their guide checkpoint.
    var jobs: [LeaseID: LocalJob] = [:]
    /// Order in which queued jobs start.
    var queue: [LeaseID] = []
    let clock = ContinuousClock()
    let started: ContinuousClock.Instant
    /// Whether any message ever came from the coordinator (a CURVE handshake with a wrong key, or no
    /// coordinator at all, both look like silence at the ZeroMQ level).
    var heardFromCoordinator = false
    /// RESULTs sent recently, by lease (see `WorkerService+HeldResults`).
    var sentResults: [LeaseID: KeptResult] = [:]
    /// RESULTs the coordinator could not store yet, to send again.
    var heldResults: [LeaseID: KeptResult] = [:]
    /// Connections closed after silence before the coordinator ever answered.
    var silentAttempts = 0

    struct LocalJob {
        enum Phase { case fetching(since: Double), queued, running }
        var assignment: JobAssignment
        var phase: Phase
        var progress: LeaseProgress
    }

    public init(options: WorkerOptions, executor: any JobExecutor = StandardJobExecutor(), control: WorkerControl = WorkerControl(),
                logger: Logger) throws {
        self.options = options
        self.executor = executor
        self.control = control
        self.logger = logger
        cache = ArtifactCache(directory: options.cacheDirectory)
        context = try ZMQContext()
        state = WorkerState(config: options.config)
        started = clock.now
    }

    var now: Double { (clock.now - started).seconds }

    /// Runs until DISCONNECT, a stop request or a fatal protocol mismatch.
    public func run() throws -> Exit {
        var exit: Exit?
        func apply(_ actions: [WorkerAction]) throws {
            for action in actions where exit == nil { exit = try perform(action) }
        }
        try apply(state.handle(.start, now: now))
        var frames: [Data] = []
        var awake = now
        while exit == nil {
            // A turn far longer than the poll means this process did not run: excuse the coordinator's silence.
            let stall = now - awake - Self.noticedStall
            if stall > 0 { state.excuse(stall: stall, now: now) }
            awake = now
            if let socket, let poller {
                _ = try poller.poll(timeout: .milliseconds(5))  // also the latency of picking up finished jobs
                var budget = 1000
                while exit == nil, budget > 0, try socket.receive(into: &frames, timeout: .zero) {
                    budget -= 1
                    heardFromCoordinator = true
                    try apply(state.handle(.received(try handle(frames)), now: now))
                }
            } else {
                Thread.sleep(forTimeInterval: 0.005)
            }
            guard exit == nil else { break }
            try collectFromTrainingThreads()
            startQueuedJobs()
            expireFetches()
            resendHeldResults()
            if let reason = control.stopReason { try apply(state.handle(.stop(reason: reason), now: now)) }
            if !heardFromCoordinator, let limit = options.joinTimeout, now >= limit.seconds, exit == nil {
                let reason = "\(noAnswer) (gave up after --join-timeout \(limit))"
                logger.error("\(reason)")
                exit = .failed(reason: reason)
                break
            }
            try apply(state.handle(.tick, now: now))
            flushOutbox()
        }
        flushOutbox()
        // Close, then terminate the context: that blocks until the DISCONNECT (and any last RESULT) is out or
        // the linger time passes; a process exiting right after `run` would otherwise drop them.
        socket?.close()
        socket = nil
        poller = nil
        context.close()
        return exit ?? .finished(reason: "stopped")
    }

    // MARK: Connection

    private func perform(_ action: WorkerAction) throws -> Exit? {
        switch action {
        case .connect:
            let socket = try ZMQSocket(context, kind: .dealer)
            try socket.set(.routingID(Data(options.id.utf8)), .immediate(true), .linger(.seconds(1)),
                           .maxMessageSize(bytes: WireProtocol.maxFrameBytes))
            if let curve = options.curve { try socket.makeCurveClient(serverKey: curve.serverKey, keyPair: curve.keyPair) }
            try socket.connect(options.endpoint)
            self.socket = socket
            poller = ZMQPoller([socket])
            if state.reconnects > 0 { logger.info("reconnecting to \(options.endpoint) (attempt \(state.reconnects))") }
        case .closeSocket:
            var wait = 0.0
            if case .waiting(let until) = state.phase { wait = max(until - now, 0) }
            logger.warning("no word from the coordinator for \(options.config.silenceLimit); reconnecting in \(String(format: "%.1f", wait)) s")
            if !heardFromCoordinator {
                silentAttempts += 1
                if silentAttempts >= Self.silentAttemptsBeforeHint { logger.error("\(noAnswer) (\(silentAttempts) attempts so far; still trying)") }
            }
            socket?.close()
            socket = nil
            poller = nil
            outbox.removeAll { if case .ready = $0 { return true } else { return false } }
        case .sendReady:
            outbox.removeAll { if case .ready = $0 { return true } else { return false } }
            outbox.insert(.ready(readyMessage), at: 0)
            for job in jobs.values { if case .fetching = job.phase, let hash = job.assignment.guideArtifact { requestFetch(hash) } }
        case .sendHeartbeat:
            send(.heartbeat(Heartbeat(leases: (jobs.values.map(\.progress) + heldProgress).sorted { $0.lease.rawValue < $1.lease.rawValue },
                                      guideCache: executor.guideCacheStatistics)))
        case .sendDisconnect(let reason):
            outbox.append(.disconnect(Disconnect(reason: reason)))
        case .exit(let reason, let failure):
            logger.log(level: failure ? .error : .info, "worker \(options.id) exits: \(reason)")
            return failure ? .failed(reason: reason) : .finished(reason: reason)
        }
        return nil
    }

    /// A loop turn (5 ms poll plus bookkeeping) longer than this, in seconds, is a stall of this process.
    static let noticedStall = 0.25

    /// Silent connection attempts after which the worker says what may be wrong.
    static let silentAttemptsBeforeHint = 2

    /// Why a worker that never heard from its coordinator may be stuck.
    var noAnswer: String {
        options.curve == nil
            ? "no answer from \(options.endpoint): is the coordinator running there (and does it use keys? then pass --keys)?"
            : "no answer from \(options.endpoint): is the coordinator running, and is coordinator.key the right one (and this worker's key on its allowed_workers)?"
    }

    /// READY offers the slots not taken by jobs this worker already holds.
    var readyMessage: Ready {
        Ready(worker: options.id, host: options.host, cores: options.cores, devices: options.devices,
              slots: max(options.slots - jobs.count, 0),
              versions: Versions(package: PackageVersion.current, libtorch: options.libtorchVersion,
                                 protocol: Int(WireProtocol.version)),
              engine: options.engine, guideCache: executor.guideCacheStatistics)
    }

    /// Sends at once if the connection takes it; unsent important messages stay in the outbox.
    func send(_ message: Message) {
        guard let socket else { return }
        do {
            if try !socket.send(try message.encode(), mode: .dontWait) { return }
        } catch {
            logger.error("cannot send \(message.kind.rawValue): \(error)")
        }
    }

    /// Sends queued messages in order, stopping at the first the connection cannot take yet.
    func flushOutbox() {
        guard let socket else { return }
        while let message = outbox.first {
            do {
                guard try socket.send(try message.encode(), mode: .dontWait) else { return }
                rememberSent(message)
            } catch {
                logger.error("dropping \(message.kind.rawValue) that cannot be sent: \(error)")
            }
            outbox.removeFirst()
        }
    }

    /// Decodes one message and acts on the job-related ones; returns what the connection logic needs.
    private func handle(_ frames: [Data]) throws -> WorkerIncoming {
        let message: Message
        do {
            message = try Message.decode(frames)
        } catch .wrongVersion(let found, let expected) {
            return .incompatible(reason: "the coordinator speaks protocol version \(found), this worker \(expected) (run the same Guidance version on both sides)")
        } catch {
            logger.warning("dropped a message from the coordinator: \(error)")
            return .ordinary
        }
        switch message {
        case .job(let assignment): accept(assignment)
        case .artifact(let ref, let bytes): try received(artifact: ref.sha256, bytes: bytes)
        case .disconnect(let goodbye): return .disconnect(reason: goodbye.reason)
        case .refused(let refusal):
            if let lease = refusal.lease, let after = refusal.retryAfterSeconds {
                hold(lease, retryAfter: after, reason: refusal.reason)
                return .ordinary
            }
            if refusal.reason.hasPrefix("unknown worker") { return .refusedUnknownWorker }
            logger.warning("coordinator refused a message: \(refusal.reason)\(refusal.hint.map { " (\($0))" } ?? "")")
            return .refused(reason: refusal.reason)
        case .heartbeat, .statusReply: break
        case .ready, .result, .failed, .fetch, .status:
            logger.warning("dropped an unexpected \(message.kind.rawValue) from the coordinator")
        }
        return .ordinary
    }
}
