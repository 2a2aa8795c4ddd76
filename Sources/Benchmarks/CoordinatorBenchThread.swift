import Coordinator
import CoordinatorCommands
import Foundation
import Logging
import Sweep

/// The benchmark's coordinator: an `EmbeddedCoordinator` that also reports how much CPU its thread used from the
/// moment it listened to the end of `run`.
final class CoordinatorBenchThread: @unchecked Sendable {
    struct Outcome {
        var summary: CoordinatorService.Summary
        /// CPU seconds of the coordinator's thread from `onListening` to the end of `run` (the initial
        /// journal of queued jobs, the loop, the goodbye).
        var cpuSecondsAfterListening: Double
    }

    /// Thread CPU readings taken on the coordinator's thread; read after `result()` returns (its lock orders them).
    private final class CPUMarks: @unchecked Sendable {
        var atListening = 0.0
        var atEnd = 0.0
    }

    let control = CoordinatorControl()
    private let marks = CPUMarks()
    private var embedded: EmbeddedCoordinator!

    static func start(plan: Plan, yaml: String, name: String, directory: URL, options: CoordinatorOptions,
                      logger: Logger) -> CoordinatorBenchThread {
        let bench = CoordinatorBenchThread()
        let marks = bench.marks
        bench.embedded = EmbeddedCoordinator.start(
            plan: plan, yaml: yaml, name: name, directory: directory, options: options, control: bench.control,
            logger: logger, onListening: { marks.atListening = CoordinatorBenchProbe.threadCPUSeconds() },
            onFinished: { marks.atEnd = CoordinatorBenchProbe.threadCPUSeconds() })
        return bench
    }

    /// When the service called `onListening` (store opened, state built, socket bound), once it did.
    var listeningAt: ContinuousClock.Instant? { embedded.listeningAt }

    /// The bound endpoint once listening; nil (or the error) if the service ended first.
    func waitForEndpoint() throws -> String? { try embedded.waitForEndpoint() }

    /// Waits for the service to end.
    func result() throws -> Outcome {
        let summary = try embedded.result()
        return Outcome(summary: summary, cpuSecondsAfterListening: marks.atEnd - marks.atListening)
    }
}
