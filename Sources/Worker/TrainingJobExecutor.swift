public import Foundation
public import Guidance
import Logging
import Sweep
public import Wire

/// Runs `JobKind.train` jobs with the trainer (`Guidance.JobRunner`), reporting its progress as lease
/// progress. A run stopped because the worker is stopping is a retryable failure; everything else the
/// trainer reports (ok, diverged, a bad spec) is the job's record.
public struct TrainingJobExecutor: JobExecutor {
    /// The worker's CUDA device (`cuda:1`), where its CUDA jobs run; nil for a CPU-only worker.
    public let cudaDevice: String?
    /// Guide caches shared by this worker's jobs (issue 13): jobs with the same guide, task and taps compute the
    /// guide's side once.
    public let guideCaches: GuideCacheStore

    public init(cudaDevice: String? = nil, guideCaches: GuideCacheStore = GuideCacheStore()) {
        self.cudaDevice = cudaDevice
        self.guideCaches = guideCaches
    }

    /// Where a job whose spec names `jobDevice` runs on a worker whose CUDA device is `cudaDevice`: a CUDA job
    /// (`cuda`, `cuda:N`: the coordinator only sends those to CUDA workers, ignoring the index) on the worker's
    /// own GPU; anything else where the spec says (nil: no override).
    public static func device(for jobDevice: String, cudaDevice: String?) -> String? {
        let lower = jobDevice.lowercased()
        guard let cudaDevice, lower == "cuda" || lower.hasPrefix("cuda:") else { return nil }
        return cudaDevice
    }

    public func execute(_ job: JobAssignment, guideCheckpoint: URL?, context: JobContext) -> JobExecution {
        var options = Trainer.Options(guideCheckpoint: guideCheckpoint, saveCheckpoint: job.saveCheckpoint)
        options.device = Self.device(for: job.spec.training.device, cudaDevice: cudaDevice)
        let lease = job.lease
        let report = context.progress
        options.progress = { p in
            // Noise warm-up and evaluation are reported as step 0 of training, so the step never goes back.
            let step = p.phase == .training ? p.step : 0
            report(LeaseProgress(lease: lease, step: step, totalSteps: job.spec.training.steps, trainLoss: p.trainLoss,
                                 taskLoss: p.taskLoss, guidanceLoss: p.guidanceLoss))
        }
        options.shouldStop = context.shouldStop
        options.guideCaches = guideCaches
        options.useGuideCache = guideCaches.budgetBytes > 0
        let logger = Logger(label: "guidance.worker.guide-cache")
        options.warn = { logger.warning("job \(job.id.short): \($0)") }
        let (record, checkpoint) = JobRunner.run(job.spec, options: options, worker: context.worker,
                                                 protocolVersion: Int(WireProtocol.version))
        if let use = record.guideCache {
            logger.info("job \(job.id.short): guide cache \(use.summary); \(guideCaches.current.summary)")
        }
        if case .failed(let error, true) = record.status { return .failed(reason: error, retryable: true) }
        return .finished(record, checkpoint: checkpoint)
    }
}
