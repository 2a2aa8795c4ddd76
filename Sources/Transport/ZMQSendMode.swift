/// How long ``ZMQSocket/send(_:mode:)`` may wait for room in the outgoing queue (the high-water
/// mark) or, for DEALER/REQ with `immediate`, for a connected peer.
public enum ZMQSendMode: Sendable, Equatable {
    /// Wait as long as it takes.
    case block
    /// Do not wait: return `false` at once if the message cannot be queued.
    case dontWait
    /// Wait at most this long (millisecond resolution, rounded up).
    case timeout(Duration)
}
