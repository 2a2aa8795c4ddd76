import CZeroMQ
public import Foundation

extension ZMQSocket {
    /// Sends one multipart message (at least one frame; frames may be empty or binary).
    ///
    /// - Returns: `true` when the whole message was queued, `false` when the first frame could
    ///   not be queued within `mode` (high-water mark reached, or no peer yet): nothing was sent.
    /// - Throws: ``ZMQError`` for real failures, e.g. `isHostUnreachable` on a ROUTER with
    ///   `routerMandatory` when no connected peer has the routing id in the first frame.
    ///
    /// Once libzmq accepts the first frame it accepts the rest of the message, so only the
    /// first frame honours `mode`. Allocation: none beyond libzmq's copy of each frame.
    @discardableResult
    public func send(_ frames: [Data], mode: ZMQSendMode = .block) throws -> Bool {
        let handle = try open("\(kind) send")
        guard !frames.isEmpty else {
            throw ZMQError.usage("\(kind) send", "a message needs at least one frame")
        }
        var firstFlags: Int32 = 0
        switch mode {
        case .block:
            try setSendTimeout(milliseconds: -1)
        case .dontWait:
            firstFlags = ZMQ_DONTWAIT
        case .timeout(let duration):
            let milliseconds = duration.clampedMilliseconds
            if milliseconds == 0 {
                firstFlags = ZMQ_DONTWAIT
            } else {
                try setSendTimeout(milliseconds: milliseconds)
            }
        }
        let last = frames.count - 1
        for (index, frame) in frames.enumerated() {
            var flags: Int32 = index == 0 ? firstFlags : 0
            if index < last { flags |= ZMQ_SNDMORE }
            while true {
                let rc = frame.withUnsafeBytes { bytes in
                    zmq_send(handle, bytes.baseAddress, bytes.count, flags)
                }
                if rc >= 0 { break }
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && index == 0 { return false }
                throw ZMQError.last("\(kind) send frame \(index + 1) of \(frames.count)")
            }
        }
        return true
    }

    /// Receives one multipart message.
    ///
    /// - Parameter timeout: how long to wait for the first frame: `nil` waits forever,
    ///   `.zero` does not wait; millisecond resolution, rounded up.
    /// - Returns: the frames, or `nil` when nothing arrived within `timeout`.
    /// - Throws: ``ZMQError`` (e.g. `isContextTerminated`).
    public func receive(timeout: Duration?) throws -> [Data]? {
        var frames: [Data] = []
        return try receive(into: &frames, timeout: timeout) ? frames : nil
    }

    /// Receives one multipart message into `frames` (emptied first, capacity kept), so a
    /// receive loop allocates nothing but the `Data` frames themselves.
    ///
    /// - Returns: `true` when a message arrived, `false` on timeout (`frames` is then empty).
    public func receive(into frames: inout [Data], timeout: Duration?) throws -> Bool {
        let handle = try open("\(kind) receive")
        frames.removeAll(keepingCapacity: true)
        lastUserID = nil
        var flags: Int32 = 0
        if let timeout {
            let milliseconds = timeout.clampedMilliseconds
            if milliseconds == 0 {
                flags = ZMQ_DONTWAIT
            } else {
                try setReceiveTimeout(milliseconds: milliseconds)
            }
        } else {
            try setReceiveTimeout(milliseconds: -1)
        }
        guard var more = try receiveFrame(handle, flags: flags, into: &frames) else { return false }
        // The remaining parts of a message arrive together with the first: these never wait.
        while more {
            guard let next = try receiveFrame(handle, flags: 0, into: &frames) else {
                throw ZMQError.usage("\(kind) receive", "message ended before its last frame")
            }
            more = next
        }
        return true
    }

    /// Receives one frame and appends it. Returns whether more frames follow, or `nil` when
    /// nothing arrived in time (`EAGAIN`).
    private func receiveFrame(
        _ handle: UnsafeMutableRawPointer, flags: Int32, into frames: inout [Data]
    ) throws -> Bool? {
        zmq_msg_init(message)
        defer { zmq_msg_close(message) }
        while zmq_msg_recv(message, handle, flags) < 0 {
            let code = zmq_errno()
            if code == EINTR { continue }
            if code == EAGAIN { return nil }
            throw ZMQError.last("\(kind) receive")
        }
        if readsUserID, lastUserID == nil, let property = zmq_msg_gets(message, "User-Id") {
            lastUserID = String(cString: property)
        }
        let size = zmq_msg_size(message)
        frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(message), count: size))
        return zmq_msg_more(message) != 0
    }

    private func setSendTimeout(milliseconds: Int32) throws {
        guard milliseconds != sendTimeoutMilliseconds else { return }
        try setInt32(ZMQ_SNDTIMEO, milliseconds, name: "ZMQ_SNDTIMEO")
        sendTimeoutMilliseconds = milliseconds
    }

    private func setReceiveTimeout(milliseconds: Int32) throws {
        guard milliseconds != receiveTimeoutMilliseconds else { return }
        try setInt32(ZMQ_RCVTIMEO, milliseconds, name: "ZMQ_RCVTIMEO")
        receiveTimeoutMilliseconds = milliseconds
    }
}
