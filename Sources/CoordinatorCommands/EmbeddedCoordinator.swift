public import Coordinator
public import Foundation
public import Logging
public import Sweep

/// A `CoordinatorService` running on its own thread inside this process (for `guidance sweep` and the coordinator
/// benchmark), with its endpoint and its outcome handed back thread-safely. `onListening` and `onFinished` run on
/// the coordinator's thread (the benchmark reads that thread's CPU time there).
public final class EmbeddedCoordinator: @unchecked Sendable {
    private let lock = NSCondition()
    private var endpoint: String?
    private var listenedAt: ContinuousClock.Instant?
    private var outcome: Result<CoordinatorService.Summary, any Error>?

    public static func start(plan: Plan, yaml: String, name: String, directory: URL, options: CoordinatorOptions,
                      control: CoordinatorControl, logger: Logger, onListening: @escaping @Sendable () -> Void = {},
                      onFinished: @escaping @Sendable () -> Void = {}) -> EmbeddedCoordinator {
        let embedded = EmbeddedCoordinator()
        let thread = Thread {
            let service = CoordinatorService(plan: plan, manifestYAML: yaml, sweepName: name, resultsDirectory: directory,
                                             options: options, control: control, logger: logger)
            let result = Result {
                try service.run { endpoint in
                    onListening()
                    embedded.listening(endpoint)
                }
            }
            onFinished()
            embedded.lock.lock()
            embedded.outcome = result
            embedded.lock.broadcast()
            embedded.lock.unlock()
        }
        thread.name = "coordinator"
        thread.stackSize = 16 << 20
        thread.start()
        return embedded
    }

    private func listening(_ endpoint: String) {
        lock.lock()
        self.endpoint = endpoint
        listenedAt = ContinuousClock.now
        lock.broadcast()
        lock.unlock()
    }

    /// When the service called `onListening` (store opened, state built, socket bound), once it did.
    public var listeningAt: ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        return listenedAt
    }

    /// The bound endpoint, once listening; throws the service's error if it failed to start.
    public func waitForEndpoint() throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        while endpoint == nil && outcome == nil { lock.wait() }
        if let endpoint { return endpoint }
        if case .failure(let error)? = outcome { throw error }
        return nil
    }

    public var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return outcome != nil
    }

    /// Waits until the service has finished or `timeout` has passed; whether it has finished. A caller that also
    /// does periodic work (a progress line) wakes at once when the sweep ends instead of polling `isDone`.
    public func waitUntilDone(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.seconds)
        lock.lock()
        defer { lock.unlock() }
        while outcome == nil, lock.wait(until: deadline) {}
        return outcome != nil
    }

    /// The service's summary (waits for it), or its error.
    public func result() throws -> CoordinatorService.Summary {
        lock.lock()
        defer { lock.unlock() }
        while outcome == nil { lock.wait() }
        return try outcome!.get()
    }
}
