import CZeroMQ
import Foundation

/// A libzmq context: the owner of I/O threads and of every socket created in it.
///
/// Thread safety: libzmq contexts are thread-safe, so this class is `Sendable`; share one per
/// process. Sockets keep their context alive (they hold a strong reference), so the context is
/// terminated on `deinit` only once every socket is gone and that never blocks.
///
/// `close()` terminates early: it blocks until every socket of the context is closed, and
/// blocking calls on those sockets fail with `ZMQError.isContextTerminated` meanwhile (the
/// ``ZAPHandler`` reacts to that by closing its socket). Sockets cannot be created afterwards.
public final class ZMQContext: @unchecked Sendable {
    // Invariant: `handle` is valid until `state` becomes `.closed`; `zmq_socket` is only called
    // under `lock` while `.open`, so no socket can be created on a terminating context.
    private let handle: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var state = State.open

    private enum State { case open, closed }

    /// Creates a context with `ioThreads` background I/O threads (libzmq default: 1, enough for
    /// about a gigabyte per second of traffic).
    public init(ioThreads: Int = 1) throws {
        guard ioThreads >= 0, ioThreads <= 64 else {
            throw ZMQError.usage("ZMQContext", "ioThreads \(ioThreads) is out of range", hint: "use 1 to 64")
        }
        guard let handle = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        self.handle = handle
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(ioThreads)) != 0 {
            let error = ZMQError.last("set ZMQ_IO_THREADS")
            zmq_ctx_term(handle)
            throw error
        }
    }

    deinit {
        if state == .open { zmq_ctx_term(handle) }
    }

    /// Terminates the context (`zmq_ctx_term`); idempotent. Blocks until all its sockets are
    /// closed, so close or stop them first (or make sure their threads react to `ETERM`).
    public func close() {
        lock.lock()
        let wasOpen = state == .open
        state = .closed
        lock.unlock()
        if wasOpen {
            while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
        }
    }

    /// Makes every blocking call on this context's sockets fail with `ETERM` without waiting
    /// (`zmq_ctx_shutdown`); sockets must still be closed, then `close()` (or `deinit`) ends it.
    public func shutdown() {
        lock.lock()
        defer { lock.unlock() }
        if state == .open { zmq_ctx_shutdown(handle) }
    }

    /// Creates a raw libzmq socket of `type`; the caller (`ZMQSocket`) owns and closes it.
    func makeSocket(type: Int32) throws -> UnsafeMutableRawPointer {
        lock.lock()
        defer { lock.unlock() }
        guard state == .open else {
            throw ZMQError(context: "zmq_socket", code: ETERM, reason: "context is closed",
                           hint: "create sockets before closing the context")
        }
        guard let socket = zmq_socket(handle, type) else { throw ZMQError.last("zmq_socket") }
        return socket
    }
}
