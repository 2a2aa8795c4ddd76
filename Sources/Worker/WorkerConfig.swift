public import Wire

/// Timing of a worker's connection (Paranoid Pirate): how often it heartbeats, how many silent
/// intervals mean the coordinator is gone, and how long it waits before reconnecting.
public struct WorkerConfig: Sendable, Hashable {
    /// Interval between heartbeats to the coordinator. Default 1 s.
    public var heartbeatInterval: Duration
    /// Intervals without any message from the coordinator after which the connection is presumed dead. Default 10.
    public var liveness: Int
    /// First wait before reconnecting; doubled after each reconnect that hears nothing, up to `reconnectMaximum`.
    /// Defaults 1 s and 32 s.
    public var reconnectInitial: Duration
    public var reconnectMaximum: Duration
    /// Exit when no coordinator has been heard from for this long (a worker started after its sweep finished,
    /// or whose coordinator is gone for good); nil: keep trying forever. Default nil.
    public var giveUpAfter: Duration?

    public init(
        heartbeatInterval: Duration = WireProtocol.heartbeatInterval, liveness: Int = WireProtocol.heartbeatLiveness,
        reconnectInitial: Duration = WireProtocol.reconnectInitial, reconnectMaximum: Duration = WireProtocol.reconnectMaximum,
        giveUpAfter: Duration? = nil
    ) {
        self.giveUpAfter = giveUpAfter
        self.heartbeatInterval = heartbeatInterval
        self.liveness = max(liveness, 1)
        self.reconnectInitial = reconnectInitial
        self.reconnectMaximum = max(reconnectMaximum, reconnectInitial)
    }

    /// Silence after which the coordinator is presumed gone: interval × liveness.
    public var silenceLimit: Duration { heartbeatInterval * liveness }
}
