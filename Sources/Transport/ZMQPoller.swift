import CZeroMQ

/// Waits until one of several sockets has a message to read (`zmq_poll`).
///
/// Threading: like its sockets, a poller belongs to the one thread that owns them (not
/// `Sendable`). It keeps the sockets alive; its poll items are allocated once, so polling in
/// a loop allocates nothing.
///
/// ```swift
/// let poller = ZMQPoller([router, control])
/// if try poller.poll(timeout: .milliseconds(100)) > 0, poller.isReadable(router) { ... }
/// ```
public final class ZMQPoller {
    /// The polled sockets, in the order given (indices for ``isReadable(at:)``).
    public private(set) var sockets: [ZMQSocket]
    private var items: [zmq_pollitem_t]

    /// Creates a poller for `sockets` (more can be added with ``add(_:)``).
    public init(_ sockets: [ZMQSocket] = []) {
        self.sockets = []
        items = []
        for socket in sockets { add(socket) }
    }

    /// Adds `socket` and returns its index.
    @discardableResult
    public func add(_ socket: ZMQSocket) -> Int {
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: socket.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0))
        return sockets.count - 1
    }

    /// Waits until at least one socket is readable or `timeout` passes (`nil`: forever,
    /// `.zero`: just check; millisecond resolution, rounded up). Interrupted waits (`EINTR`)
    /// return 0, like a timeout.
    ///
    /// - Returns: the number of readable sockets (0 on timeout); query them with
    ///   ``isReadable(_:)`` / ``isReadable(at:)`` until the next poll.
    /// - Throws: ``ZMQError``, e.g. `isContextTerminated`, or a closed socket.
    @discardableResult
    public func poll(timeout: Duration?) throws -> Int {
        for index in items.indices {
            guard let handle = sockets[index].handle else {
                throw ZMQError(context: "poll \(sockets[index].kind) socket \(index)", code: ENOTSOCK,
                               reason: "socket is closed", hint: "remove closed sockets from the poller")
            }
            items[index].socket = handle
            items[index].revents = 0
        }
        let milliseconds = timeout.map { Int($0.clampedMilliseconds) } ?? -1
        let count = items.withUnsafeMutableBufferPointer { buffer in
            zmq_poll(buffer.baseAddress, Int32(buffer.count), milliseconds)
        }
        if count < 0 {
            if zmq_errno() == EINTR { return 0 }
            throw ZMQError.last("poll")
        }
        return Int(count)
    }

    /// Whether the socket at `index` was readable at the last poll.
    public func isReadable(at index: Int) -> Bool {
        items.indices.contains(index) && items[index].revents & Int16(ZMQ_POLLIN) != 0
    }

    /// Whether `socket` (compared by identity) was readable at the last poll.
    public func isReadable(_ socket: ZMQSocket) -> Bool {
        guard let index = sockets.firstIndex(where: { $0 === socket }) else { return false }
        return isReadable(at: index)
    }
}

@available(*, unavailable)
extension ZMQPoller: Sendable {}
