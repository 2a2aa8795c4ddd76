import Foundation

/// Asks a running worker to stop, from any thread (a signal handler's queue, a test). Thread-safe.
public final class WorkerControl: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    /// Requests a stop: running jobs end early (retryable), the coordinator gets DISCONNECT, the loop exits.
    public func requestStop(reason: String) {
        lock.lock()
        if self.reason == nil { self.reason = reason }
        lock.unlock()
    }

    /// The stop reason once a stop was requested.
    public var stopReason: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    public var isStopRequested: Bool { stopReason != nil }
}
