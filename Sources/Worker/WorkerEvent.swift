/// Something that happened to a worker's connection, fed to `WorkerState.handle(_:now:)`.
public enum WorkerEvent: Sendable, Hashable {
    /// The worker starts: connect for the first time.
    case start
    /// Time passed: heartbeat when due, give up a silent connection, reconnect when the wait is over.
    case tick
    /// A message from the coordinator arrived (any message proves it alive).
    case received(WorkerIncoming)
    /// Stop (SIGINT/SIGTERM): say goodbye when connected, then exit.
    case stop(reason: String)
}

/// The part of an incoming message the connection logic cares about.
public enum WorkerIncoming: Sendable, Hashable {
    /// JOB, ARTIFACT, HEARTBEAT, STATUS_REPLY: nothing to do for the connection beyond "alive".
    case ordinary
    /// REFUSED because the coordinator does not know this worker (it restarted, or dropped us as silent):
    /// introduce ourselves again.
    case refusedUnknownWorker
    /// REFUSED for another reason (logged by the service).
    case refused(reason: String)
    /// DISCONNECT: the coordinator is done with us (sweep finished or coordinator stopping).
    case disconnect(reason: String)
    /// The coordinator speaks another protocol version: nothing will work, exit with an error.
    case incompatible(reason: String)
}

/// What the worker's network loop must do, in order.
public enum WorkerAction: Sendable, Hashable {
    /// Create the DEALER (stable routing id) and connect.
    case connect
    /// Close the socket (the connection is presumed dead); a `.connect` follows after the backoff.
    case closeSocket
    /// Send READY with the slots free right now.
    case sendReady
    /// Send HEARTBEAT with the progress of every lease held.
    case sendHeartbeat
    /// Send DISCONNECT (the coordinator requeues our jobs at once).
    case sendDisconnect(reason: String)
    /// Leave the loop; `failure` when the worker cannot go on (exit status non-zero).
    case exit(reason: String, failure: Bool)
}
