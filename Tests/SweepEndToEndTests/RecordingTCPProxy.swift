import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP proxy that forwards every connection to `upstreamPort` and keeps a copy of all bytes that
/// pass in either direction, so a test can look at exactly what went over the wire.
final class RecordingTCPProxy: @unchecked Sendable {
    let port: UInt16
    private let upstreamPort: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var recorded = Data()
    private var sockets: [Int32] = []
    private var stopped = false

    init(upstreamPort: UInt16) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError("socket: \(String(cString: strerror(errno)))") }
        var address = Self.loopback(port: 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ProxyError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every byte seen so far, both directions interleaved.
    var bytes: Data { lock.withLock { recorded } }

    func stop() {
        let all: [Int32] = lock.withLock {
            guard !stopped else { return [] }
            stopped = true
            return sockets + [listener]
        }
        for fd in all { shutdown(fd, Int32(SHUT_RDWR)) }
        if !all.isEmpty { close(listener) }
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let keep = lock.withLock { () -> Bool in
                if stopped { return false }
                sockets += [client, upstream]
                return true
            }
            guard keep, connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            for (from, to) in [(client, upstream), (upstream, client)] {
                let pump = Thread { [self] in self.pump(from: from, to: to) }
                pump.start()
            }
        }
    }

    private func pump(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(from, &buffer, buffer.count)
            if count <= 0 { break }
            lock.withLock { recorded.append(contentsOf: buffer[0..<count]) }
            var offset = 0
            while offset < count {
                let written = buffer.withUnsafeBytes { write(to, $0.baseAddress! + offset, count - offset) }
                if written <= 0 { shutdown(from, Int32(SHUT_RDWR)); return }
                offset += written
            }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}

struct ProxyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
