import Coordinator
import Foundation
import Logging
import Sweep

/// A `CoordinatorService` on its own thread for the benchmarks, reporting when it listened and how much
/// CPU its thread used from then on.
final class CoordinatorBenchThread: @unchecked Sendable {
    struct Outcome {
        var summary: CoordinatorService.Summary
        /// CPU seconds of the coordinator's thread from `onListening` to the end of `run` (the initial
        /// journal of queued jobs, the loop, the goodbye).
        var cpuSecondsAfterListening: Double
    }

    let control = CoordinatorControl()
    private let lock = NSCondition()
    private var endpoint: String?
    private var listenedAt: ContinuousClock.Instant?
    private var outcome: Result<Outcome, any Error>?

    static func start(plan: Plan, yaml: String, name: String, directory: URL, options: CoordinatorOptions,
                      logger: Logger) -> CoordinatorBenchThread {
        let bench = CoordinatorBenchThread()
        let thread = Thread {
            let service = CoordinatorService(plan: plan, manifestYAML: yaml, sweepName: name, resultsDirectory: directory,
                                             options: options, control: bench.control, logger: logger)
            var cpuAtListening = 0.0
            let result = Result {
                let summary = try service.run { endpoint in
                    cpuAtListening = CoordinatorBenchProbe.threadCPUSeconds()
                    bench.listening(endpoint)
                }
                return Outcome(summary: summary, cpuSecondsAfterListening: CoordinatorBenchProbe.threadCPUSeconds() - cpuAtListening)
            }
            bench.lock.lock()
            bench.outcome = result
            bench.lock.broadcast()
            bench.lock.unlock()
        }
        thread.name = "coordinator"
        thread.stackSize = 16 << 20
        thread.start()
        return bench
    }

    private func listening(_ endpoint: String) {
        lock.lock()
        self.endpoint = endpoint
        listenedAt = ContinuousClock.now
        lock.broadcast()
        lock.unlock()
    }

    /// When the service called `onListening` (store opened, state built, socket bound), once it did.
    var listeningAt: ContinuousClock.Instant? {
        lock.lock()
        defer { lock.unlock() }
        return listenedAt
    }

    /// The bound endpoint once listening; nil (or the error) if the service ended first.
    func waitForEndpoint() throws -> String? {
        lock.lock()
        defer { lock.unlock() }
        while endpoint == nil && outcome == nil { lock.wait() }
        if let endpoint { return endpoint }
        if case .failure(let error)? = outcome { throw error }
        return nil
    }

    /// Waits for the service to end.
    func result() throws -> Outcome {
        lock.lock()
        defer { lock.unlock() }
        while outcome == nil { lock.wait() }
        return try outcome!.get()
    }
}
