import Foundation
public import Wire

/// The thread-safe window onto a running `CoordinatorService`: request a graceful drain from any thread
/// (a signal handler's queue), and read the latest status snapshot (a live progress display).
public final class CoordinatorControl: @unchecked Sendable {
    private let lock = NSLock()
    private var drain = false
    private var latest: StatusReply?
    private var endpoint: String?

    public init() {}

    /// Stop dispatching, wait for running jobs (up to the drain timeout), then exit. Idempotent.
    public func requestDrain() {
        lock.lock()
        drain = true
        lock.unlock()
    }

    public var isDrainRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return drain
    }

    /// The latest status (refreshed every `CoordinatorOptions.snapshotInterval`), nil before the first.
    public var status: StatusReply? {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    /// The endpoint actually bound (a wildcard port resolved), once listening.
    public var listeningEndpoint: String? {
        lock.lock()
        defer { lock.unlock() }
        return endpoint
    }

    func publish(_ status: StatusReply) {
        lock.lock()
        latest = status
        lock.unlock()
    }

    func publish(endpoint: String) {
        lock.lock()
        self.endpoint = endpoint
        lock.unlock()
    }
}
