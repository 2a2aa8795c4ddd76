import CZeroMQ
public import Foundation

extension ZMQSocket {
    /// Applies options in order; stops at the first failure.
    /// - Throws: ``ZMQError`` naming the option, e.g. `DEALER set ZMQ_ROUTING_ID: Invalid argument`.
    public func set(_ options: ZMQSocketOption...) throws {
        for option in options { try set(option) }
    }

    /// Applies one option. See ``ZMQSocketOption`` for units and defaults.
    public func set(_ option: ZMQSocketOption) throws {
        switch option {
        case .routingID(let id):
            guard (1...255).contains(id.count), id.first != 0 else {
                throw ZMQError.usage("\(kind) set ZMQ_ROUTING_ID", "routing id of \(id.count) bytes is invalid",
                                     hint: "use 1 to 255 bytes, not starting with a zero byte")
            }
            try setBytes(ZMQ_ROUTING_ID, id, name: "ZMQ_ROUTING_ID")
        case .linger(let duration):
            try setInt32(ZMQ_LINGER, duration.map { $0.clampedMilliseconds } ?? -1, name: "ZMQ_LINGER")
        case .routerMandatory(let on):
            try setInt32(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, name: "ZMQ_ROUTER_MANDATORY")
        case .routerHandover(let on):
            try setInt32(ZMQ_ROUTER_HANDOVER, on ? 1 : 0, name: "ZMQ_ROUTER_HANDOVER")
        case .sendHighWaterMark(let messages):
            try setInt32(ZMQ_SNDHWM, try count(messages, "ZMQ_SNDHWM"), name: "ZMQ_SNDHWM")
        case .receiveHighWaterMark(let messages):
            try setInt32(ZMQ_RCVHWM, try count(messages, "ZMQ_RCVHWM"), name: "ZMQ_RCVHWM")
        case .maxMessageSize(let bytes):
            if let bytes, bytes < 0 {
                throw ZMQError.usage("\(kind) set ZMQ_MAXMSGSIZE", "\(bytes) bytes is negative",
                                     hint: "use nil for unlimited")
            }
            var value = Int64(bytes ?? -1)
            try check(zmq_setsockopt(try open("set"), ZMQ_MAXMSGSIZE, &value, MemoryLayout<Int64>.size),
                      "ZMQ_MAXMSGSIZE")
        case .heartbeatInterval(let duration):
            try setInt32(ZMQ_HEARTBEAT_IVL, duration.clampedMilliseconds, name: "ZMQ_HEARTBEAT_IVL")
        case .heartbeatTimeout(let duration):
            try setInt32(ZMQ_HEARTBEAT_TIMEOUT, duration.clampedMilliseconds, name: "ZMQ_HEARTBEAT_TIMEOUT")
        case .heartbeatTTL(let duration):
            let milliseconds = duration.clampedMilliseconds
            guard milliseconds <= 6_553_599 else {
                throw ZMQError.usage("\(kind) set ZMQ_HEARTBEAT_TTL", "\(duration) is too long",
                                     hint: "libzmq allows at most 6553.5 s")
            }
            try setInt32(ZMQ_HEARTBEAT_TTL, milliseconds, name: "ZMQ_HEARTBEAT_TTL")
        case .reconnectInterval(let duration):
            try setInt32(ZMQ_RECONNECT_IVL, duration.clampedMilliseconds, name: "ZMQ_RECONNECT_IVL")
        case .reconnectIntervalMax(let duration):
            try setInt32(ZMQ_RECONNECT_IVL_MAX, duration.clampedMilliseconds, name: "ZMQ_RECONNECT_IVL_MAX")
        case .immediate(let on):
            try setInt32(ZMQ_IMMEDIATE, on ? 1 : 0, name: "ZMQ_IMMEDIATE")
        case .zapDomain(let domain):
            try setBytes(ZMQ_ZAP_DOMAIN, Data(domain.utf8), name: "ZMQ_ZAP_DOMAIN")
        case .subscribe(let prefix):
            try setBytes(ZMQ_SUBSCRIBE, prefix, name: "ZMQ_SUBSCRIBE")
        }
    }

    /// The endpoint this socket last bound or connected, with the actual port of a wildcard
    /// bind (`tcp://127.0.0.1:*` → `tcp://127.0.0.1:41237`).
    public func lastEndpoint() throws -> String {
        String(decoding: try bytesOption(ZMQ_LAST_ENDPOINT, capacity: 1024, name: "ZMQ_LAST_ENDPOINT")
            .prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The routing id set on this socket (empty when none was set).
    public func routingID() throws -> Data {
        try bytesOption(ZMQ_ROUTING_ID, capacity: 255, name: "ZMQ_ROUTING_ID")
    }

    // MARK: - raw access

    func setInt32(_ option: Int32, _ value: Int32, name: String) throws {
        var value = value
        try check(zmq_setsockopt(try open("set"), option, &value, MemoryLayout<Int32>.size), name)
    }

    func setBytes(_ option: Int32, _ value: Data, name: String) throws {
        let handle = try open("set")
        let rc = value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        try check(rc, name)
    }

    private func bytesOption(_ option: Int32, capacity: Int, name: String) throws -> Data {
        let handle = try open("get")
        var buffer = Data(count: capacity)
        var size = capacity
        let rc = buffer.withUnsafeMutableBytes { zmq_getsockopt(handle, option, $0.baseAddress, &size) }
        if rc != 0 { throw ZMQError.last("\(kind) get \(name)") }
        return Data(buffer.prefix(size))
    }

    private func check(_ rc: Int32, _ name: String) throws {
        if rc != 0 { throw ZMQError.last("\(kind) set \(name)") }
    }

    private func count(_ messages: Int, _ name: String) throws -> Int32 {
        guard messages >= 0, messages <= Int(Int32.max) else {
            throw ZMQError.usage("\(kind) set \(name)", "\(messages) messages is out of range",
                                 hint: "use 0 (unlimited) to \(Int32.max)")
        }
        return Int32(messages)
    }
}
