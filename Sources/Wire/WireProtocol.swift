/// Protocol constants, all in one place (docs/PROTOCOL.md explains them).
public enum WireProtocol {
    /// First four bytes of every message's first frame.
    public static let tag: [UInt8] = Array("GDNC".utf8)
    /// Protocol version, the fifth byte of the first frame. Bump on any incompatible change.
    /// 2: RESULT no longer carries the job's spec (`ResultReport.record` is a `JobReport`).
    public static let version: UInt8 = 2
    /// Largest frame accepted or produced (the binary artifact frame), in bytes: 256 MiB. Transport
    /// should set ZMQ_MAXMSGSIZE to this.
    public static let maxFrameBytes = 256 << 20
    /// Largest JSON body accepted or produced, in bytes: 16 MiB.
    public static let maxJSONBytes = 16 << 20
    /// The largest frame a coordinator can legitimately receive, for its ZMQ_MAXMSGSIZE (libzmq disconnects a peer
    /// sending a bigger frame before it is read into memory): a checkpoint (`maxFrameBytes`) when some job of the
    /// plan saves one (a RESULT's binary frame), else a JSON body (`maxJSONBytes`).
    public static func largestFrameToCoordinator(checkpoints: Bool) -> Int { checkpoints ? maxFrameBytes : maxJSONBytes }
    /// Default interval between heartbeats in each direction.
    public static let heartbeatInterval: Duration = .seconds(1)
    /// Default number of missed heartbeats after which the peer is presumed dead (lease expiry = interval × liveness):
    /// 10, so that a peer stalled for several seconds (a busy shared machine, a swapping host) is not taken for dead.
    public static let heartbeatLiveness = 10
    /// Worker reconnect backoff: first wait, doubled on each failure up to the maximum.
    public static let reconnectInitial: Duration = .seconds(1)
    public static let reconnectMaximum: Duration = .seconds(32)
}

/// The kind of a message: the second frame, as ASCII.
public enum MessageKind: String, Sendable, CaseIterable {
    /// worker → coordinator: hello, with capacity and versions (also after every reconnect).
    case ready = "READY"
    /// coordinator → worker: run this job under this lease.
    case job = "JOB"
    /// both ways: alive; from a worker, with the progress of each lease it holds.
    case heartbeat = "HEARTBEAT"
    /// worker → coordinator: a job finished; optional binary frame = its checkpoint.
    case result = "RESULT"
    /// worker → coordinator: a job could not finish.
    case failed = "FAILED"
    /// worker → coordinator: send me this artifact (a trained guide's checkpoint).
    case fetch = "FETCH"
    /// coordinator → worker: the artifact's bytes in the binary frame.
    case artifact = "ARTIFACT"
    /// either way: going away.
    case disconnect = "DISCONNECT"
    /// client → coordinator: how is the sweep doing?
    case status = "STATUS"
    /// coordinator → client: counts and workers.
    case statusReply = "STATUS_REPLY"
    /// coordinator → peer: your message was not accepted (wrong version, unknown worker, ...).
    case refused = "REFUSED"

    /// Whether messages of this kind carry the binary fourth frame: never, optionally or always.
    var binary: BinaryFrame {
        switch self {
        case .result: return .optional
        case .artifact: return .required
        default: return .none
        }
    }

    enum BinaryFrame { case none, optional, required }
}
