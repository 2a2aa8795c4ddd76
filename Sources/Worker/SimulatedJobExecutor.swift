public import Foundation
public import Sweep
public import Wire

/// Runs `JobKind.test` jobs, which exercise the runner without training: sleep `sleep_ms` (in small
/// slices, reporting progress and honouring a stop), then fail or finish as the options say.
///
/// - attempt ≤ `fail_times`: a retryable failure;
/// - `fail_permanent`: a non-retryable failure;
/// - `diverge`: a `diverged` record;
/// - otherwise an `ok` record with metrics `test_value` = seed and `test_score`, a made-up effect for adaptive-seed
///   tests: 0 for baselines, +1 for jobs with an untrained guide (a constant effect: decided at 2 seeds), and
///   (−1)^seed for jobs with a trained guide (an effect that never decides). When asked to save a checkpoint the job
///   returns a few bytes naming itself, so trained-guide test jobs exercise FETCH/ARTIFACT; a job with a
///   guide artifact checks that the fetched file exists.
public struct SimulatedJobExecutor: JobExecutor {
    public init() {}

    public func execute(_ job: JobAssignment, guideCheckpoint: URL?, context: JobContext) -> JobExecution {
        guard case .test(let options) = job.spec.kind else {
            return .failed(reason: "not a test job", retryable: false)
        }
        let started = Timestamp.now()
        if job.guideArtifact != nil {
            guard let guideCheckpoint, FileManager.default.fileExists(atPath: guideCheckpoint.path) else {
                return .failed(reason: "guide checkpoint \(job.guideArtifact ?? "") was not fetched", retryable: true)
            }
        }
        let total = max(options.sleepMs / 10, 1)
        let slice = Double(options.sleepMs) / Double(total) / 1000
        for step in 1...total {
            if context.shouldStop() { return .failed(reason: "stopped at step \(step) (worker stopping)", retryable: true) }
            if slice > 0 { Thread.sleep(forTimeInterval: slice) }
            context.progress(LeaseProgress(lease: job.lease, step: step, totalSteps: total, trainLoss: 1 / Double(step)))
        }
        if job.attempt <= options.failTimes {
            return .failed(reason: "test job fails attempt \(job.attempt) of the first \(options.failTimes)", retryable: true)
        }
        if options.failPermanent { return .failed(reason: "test job fails permanently", retryable: false) }
        let status: JobStatus = options.diverge ? .diverged(step: total, lastFiniteLoss: 1) : .ok
        let checkpoint = job.saveCheckpoint && !options.diverge ? Data("test checkpoint of job \(job.id)".utf8) : nil
        let record = JobRecord(
            id: job.id, spec: job.spec, status: status, metrics: ["test_value": Double(job.spec.seed), "test_score": Self.score(job.spec)],
            wallSeconds: Date().timeIntervalSince(started.date), worker: context.worker,
            versions: Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version)),
            device: job.spec.training.device, startedAt: started, finishedAt: .now(),
            artifact: checkpoint.map { ContentHash.sha256Hex($0) })
        return .finished(record, checkpoint: checkpoint)
    }

    /// `test_score` of a test job (see the type's description).
    static func score(_ spec: JobSpec) -> Double {
        switch spec.guideState {
        case nil: 0
        case .untrained?: 1
        case .trained?: spec.seed % 2 == 0 ? 1 : -1
        }
    }
}
