import CZeroMQ
import Foundation

/// One ZeroMQ socket.
///
/// Threading: a socket is **not** thread-safe and this class is deliberately not `Sendable`:
/// create it, use it and close it on one thread (the thread that owns the network loop). To
/// talk to other threads, give each its own socket (e.g. an inproc PAIR) on the shared,
/// thread-safe ``ZMQContext``.
///
/// Lifetime: the socket keeps its context alive and is closed on `deinit` (or `close()`).
/// Sockets are created with linger 0 (libzmq's default, infinite, can hang context
/// termination on unsent messages); set ``ZMQSocketOption/linger(_:)`` for a grace period.
///
/// Errors name the endpoint or the operation and carry libzmq's errno text, e.g.
/// `tcp://127.0.0.1:5555: Address already in use`.
public final class ZMQSocket {
    /// The socket pattern.
    public let kind: ZMQSocketKind
    /// The context this socket belongs to (kept alive by the socket).
    public let context: ZMQContext

    /// The libzmq socket; nil once closed.
    var handle: UnsafeMutableRawPointer?
    /// One reusable message buffer for receives, so receiving allocates only the `Data` frames.
    let message: UnsafeMutablePointer<zmq_msg_t>
    /// Cached `ZMQ_SNDTIMEO` / `ZMQ_RCVTIMEO` in milliseconds (-1: block), so a per-call timeout
    /// costs a `zmq_setsockopt` only when it changes.
    var sendTimeoutMilliseconds: Int32 = -1
    var receiveTimeoutMilliseconds: Int32 = -1
    /// Whether `receive` reads each message's `User-Id` property into ``lastUserID`` (see
    /// `ZMQSocket+Metadata.swift`); off unless asked for, so other sockets pay nothing.
    var readsUserID = false
    /// The `User-Id` of the message last received (nil when not read, or the peer has none).
    var lastUserID: String?

    /// Creates a socket of `kind` in `context`, with linger 0.
    public init(_ context: ZMQContext, kind: ZMQSocketKind) throws {
        self.kind = kind
        self.context = context
        let handle = try context.makeSocket(type: kind.rawType)
        self.handle = handle
        message = .allocate(capacity: 1)
        var linger: Int32 = 0
        if zmq_setsockopt(handle, ZMQ_LINGER, &linger, MemoryLayout<Int32>.size) != 0 {
            let error = ZMQError.last("\(kind) set ZMQ_LINGER")
            close()
            throw error
        }
    }

    deinit {
        close()
        message.deallocate()
    }

    /// Closes the socket (`zmq_close`); idempotent. Unsent messages are kept for the linger time.
    public func close() {
        if let handle {
            zmq_close(handle)
            self.handle = nil
        }
    }

    /// Whether `close()` has been called.
    public var isClosed: Bool { handle == nil }

    /// Binds to `endpoint` (`tcp://127.0.0.1:*` picks an ephemeral port: read it back with
    /// ``lastEndpoint()``). Throws e.g. `tcp://*:5555: Address already in use`.
    public func bind(_ endpoint: String) throws {
        let handle = try open(endpoint)
        if zmq_bind(handle, endpoint) != 0 { throw Self.endpointError(endpoint) }
    }

    /// Connects to `endpoint`; libzmq connects (and reconnects) in the background, so this
    /// succeeds even when nobody listens yet.
    public func connect(_ endpoint: String) throws {
        let handle = try open(endpoint)
        if zmq_connect(handle, endpoint) != 0 { throw Self.endpointError(endpoint) }
    }

    /// Stops listening on `endpoint` (for a wildcard bind pass the actual ``lastEndpoint()``).
    public func unbind(_ endpoint: String) throws {
        let handle = try open(endpoint)
        if zmq_unbind(handle, endpoint) != 0 { throw Self.endpointError(endpoint) }
    }

    /// Drops the connection to `endpoint` made by ``connect(_:)``.
    public func disconnect(_ endpoint: String) throws {
        let handle = try open(endpoint)
        if zmq_disconnect(handle, endpoint) != 0 { throw Self.endpointError(endpoint) }
    }

    /// The open handle, or an error naming `context` when the socket is closed. `context` is
    /// only built on failure, so the hot send/receive paths do not allocate a string.
    func open(_ context: @autoclosure () -> String) throws -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(context: context(), code: ENOTSOCK, reason: "socket is closed",
                           hint: "create a new socket")
        }
        return handle
    }

    private static func endpointError(_ endpoint: String) -> ZMQError {
        switch zmq_errno() {
        case EINVAL:
            return .last(endpoint, hint: "endpoints look like tcp://HOST:PORT, ipc://PATH or inproc://NAME")
        case ENOENT:
            return .last(endpoint, hint: "nothing is bound or connected at that endpoint on this socket")
        default:
            return .last(endpoint)
        }
    }
}

/// Sockets belong to one thread; see the type's documentation.
@available(*, unavailable)
extension ZMQSocket: Sendable {}
