import Sweep

/// The connection logic of a worker as a pure state machine (the Paranoid Pirate pattern of the
/// ZeroMQ guide): events in, actions out; no sockets, no clocks.
///
/// - Connected: a HEARTBEAT every `heartbeatInterval`; any message from the coordinator proves it alive
///   and resets the reconnect backoff. Silence for `heartbeatInterval × liveness` means the connection is
///   dead: close the socket and wait `backoff` (doubling each time up to `reconnectMaximum`), then connect
///   again and send READY again.
/// - REFUSED "unknown worker" (a restarted coordinator, or one that dropped us as silent): READY again.
/// - DISCONNECT, a protocol mismatch or a stop request end the worker; so does hearing nothing from any
///   coordinator for `giveUpAfter` (when set), counted from the start or the last message.
///
/// Time `now` is seconds on a monotonic clock.
public struct WorkerState: Sendable {
    public enum Phase: Sendable, Hashable {
        /// Not started.
        case idle
        /// Socket connected (or connecting); READY sent.
        case connected
        /// Socket closed after silence; reconnect at `until`.
        case waiting(until: Double)
        /// Done; the loop exits.
        case stopped
    }

    public let config: WorkerConfig
    public private(set) var phase: Phase = .idle
    /// Wait before the next reconnect.
    public private(set) var backoff: Duration
    /// Reconnects so far.
    public private(set) var reconnects = 0
    /// When the coordinator was last heard from (or the connection was made).
    public private(set) var lastHeard = 0.0
    private var nextHeartbeat = 0.0
    /// When the coordinator last sent anything (or the worker started); reconnecting does not count.
    private var heardAt = 0.0

    public init(config: WorkerConfig = WorkerConfig()) {
        self.config = config
        backoff = config.reconnectInitial
    }

    /// Handles one event at time `now`; returns what to do, in order.
    public mutating func handle(_ event: WorkerEvent, now: Double) -> [WorkerAction] {
        if case .tick = event, let limit = config.giveUpAfter, phase != .idle, phase != .stopped,
           now - heardAt >= limit.seconds {
            let wasConnected = phase == .connected
            phase = .stopped
            return (wasConnected ? [.closeSocket] : [])
                + [.exit(reason: "no word from a coordinator for \(limit); giving up", failure: false)]
        }
        switch (phase, event) {
        case (.stopped, _):
            return []
        case (_, .stop(let reason)):
            let wasConnected = phase == .connected
            phase = .stopped
            return (wasConnected ? [.sendDisconnect(reason: reason)] : []) + [.exit(reason: reason, failure: false)]
        case (.idle, .start):
            heardAt = now
            return connect(now: now)
        case (.idle, _):
            return []
        case (.connected, .received(let incoming)):
            lastHeard = now
            heardAt = now
            backoff = config.reconnectInitial
            return received(incoming)
        case (.connected, .tick):
            if now - lastHeard >= config.silenceLimit.seconds {
                phase = .waiting(until: now + backoff.seconds)
                backoff = min(backoff * 2, config.reconnectMaximum)
                return [.closeSocket]
            }
            guard now >= nextHeartbeat else { return [] }
            nextHeartbeat = now + config.heartbeatInterval.seconds
            return [.sendHeartbeat]
        case (.waiting(let until), .tick):
            guard now >= until else { return [] }
            reconnects += 1
            return connect(now: now)
        case (.connected, .start), (.waiting, .start), (.waiting, .received):
            return []
        }
    }

    /// This process did not run for `seconds` (stopped, swapped, starved): the coordinator's silence meanwhile is
    /// not its fault, and its messages may still be on the way. Moves the last-heard times later by the stall,
    /// never past `now`.
    public mutating func excuse(stall seconds: Double, now: Double) {
        guard seconds > 0 else { return }
        lastHeard = min(lastHeard + seconds, now)
        heardAt = min(heardAt + seconds, now)
    }

    private mutating func connect(now: Double) -> [WorkerAction] {
        phase = .connected
        lastHeard = now
        nextHeartbeat = now + config.heartbeatInterval.seconds
        return [.connect, .sendReady]
    }

    private mutating func received(_ incoming: WorkerIncoming) -> [WorkerAction] {
        switch incoming {
        case .ordinary, .refused:
            return []
        case .refusedUnknownWorker:
            return [.sendReady]
        case .disconnect(let reason):
            phase = .stopped
            return [.exit(reason: "coordinator said goodbye: \(reason)", failure: false)]
        case .incompatible(let reason):
            phase = .stopped
            return [.exit(reason: reason, failure: true)]
        }
    }
}
