import Foundation
import Sweep
import Wire

/// Where training threads leave news for the network thread, which alone owns the socket.
/// Thread-safe: a lock around two small collections; the network thread drains it every loop turn.
final class WorkerMailbox: @unchecked Sendable {
    private let lock = NSLock()
    /// Latest progress per lease (older reports are superseded).
    private var progress: [LeaseID: LeaseProgress] = [:]
    private var finished: [(LeaseID, JobExecution)] = []

    func post(_ update: LeaseProgress) {
        lock.lock()
        progress[update.lease] = update
        lock.unlock()
    }

    func post(finished lease: LeaseID, _ execution: JobExecution) {
        lock.lock()
        finished.append((lease, execution))
        lock.unlock()
    }

    /// Everything posted since the last call.
    func drain() -> (progress: [LeaseID: LeaseProgress], finished: [(LeaseID, JobExecution)]) {
        lock.lock()
        defer { lock.unlock() }
        let result = (progress, finished)
        progress = [:]
        finished = []
        return result
    }
}
