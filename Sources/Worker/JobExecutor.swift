public import Foundation
public import Guidance
public import Sweep
public import Wire

/// Runs one leased job on a training thread. Implementations must be thread-safe: several slots call
/// `execute` at once, each on its own thread.
public protocol JobExecutor: Sendable {
    /// Runs `job` to the end. `guideCheckpoint` is the fetched guide checkpoint for a trained-guide job.
    func execute(_ job: JobAssignment, guideCheckpoint: URL?, context: JobContext) -> JobExecution
    /// The guide caches its jobs share, now (thread-safe; nil for an executor that keeps none). The worker sends
    /// them with READY and every HEARTBEAT.
    var guideCacheStatistics: GuideCacheStatistics? { get }
}

extension JobExecutor {
    public var guideCacheStatistics: GuideCacheStatistics? { nil }
}

/// What a running job may use: who it runs on, how to report progress, whether to stop early.
public struct JobContext: Sendable {
    public var worker: WorkerRef
    /// Reports progress (thread-safe; the network thread picks it up for its next heartbeat).
    public var progress: @Sendable (LeaseProgress) -> Void
    /// True once the worker is stopping: end the job early (it is reported as a retryable failure).
    public var shouldStop: @Sendable () -> Bool

    public init(worker: WorkerRef, progress: @escaping @Sendable (LeaseProgress) -> Void,
                shouldStop: @escaping @Sendable () -> Bool) {
        self.worker = worker
        self.progress = progress
        self.shouldStop = shouldStop
    }
}

/// How a job ended on the worker.
public enum JobExecution: Sendable {
    /// A record (ok, diverged, or a non-retryable failure found by the trainer) and, when asked for,
    /// the trained network's checkpoint bytes.
    case finished(JobRecord, checkpoint: Data?)
    /// The attempt failed; `retryable` says whether another attempt may succeed (reported as FAILED).
    case failed(reason: String, retryable: Bool)
}

/// The executor workers use: test jobs (`JobKind.test`) without libtorch, training jobs with the trainer.
public struct StandardJobExecutor: JobExecutor {
    let test = SimulatedJobExecutor()
    let training: TrainingJobExecutor

    /// `devices`: the worker's devices (`cpu`, `cuda:1`); its CUDA jobs run on the first CUDA one.
    /// `guideCacheBudgetBytes`: memory for the guide caches its jobs share (nil: `GuideCacheStore.defaultBudgetBytes`).
    public init(devices: [String] = ["cpu"], guideCacheBudgetBytes: Int? = nil) {
        training = TrainingJobExecutor(cudaDevice: devices.first { $0.lowercased().hasPrefix("cuda") },
                                       guideCaches: GuideCacheStore(budgetBytes: guideCacheBudgetBytes ?? GuideCacheStore.defaultBudgetBytes))
    }

    /// The guide caches' counters and size (for the worker's log and status).
    public var guideCacheStatistics: GuideCacheStatistics? { training.guideCaches.current }

    /// The GPU this executor's CUDA jobs run on (nil: a CPU-only worker).
    public var cudaDeviceForTraining: String? { training.cudaDevice }

    public func execute(_ job: JobAssignment, guideCheckpoint: URL?, context: JobContext) -> JobExecution {
        switch job.spec.kind {
        case .test: return test.execute(job, guideCheckpoint: guideCheckpoint, context: context)
        case .train: return training.execute(job, guideCheckpoint: guideCheckpoint, context: context)
        }
    }
}
