public import Foundation
public import Sweep
import Torch

/// Runs one job spec end to end and packs the outcome into the record the store keeps.
public enum JobRunner {
    /// Trains `spec` and returns its record and, when asked, the trained target's checkpoint bytes. Problems with
    /// the spec itself (found before training) come back as a `failed` record that is not retryable; a diverged run
    /// as `diverged`.
    public static func run(_ spec: JobSpec, options: Trainer.Options = Trainer.Options(), worker: WorkerRef,
                           protocolVersion: Int) -> (record: JobRecord, checkpoint: Data?) {
        let started = Timestamp.now()
        let versions = Versions(package: PackageVersion.current, libtorch: Torch.version, protocol: protocolVersion)
        func record(_ status: JobStatus, _ outcome: Trainer.Outcome? = nil, artifact: String? = nil) -> JobRecord {
            JobRecord(id: spec.id, spec: spec, status: status, mapping: outcome?.mapping ?? [], metrics: outcome?.metrics ?? [:],
                      curves: outcome?.curves ?? [], wallSeconds: outcome?.wallSeconds ?? 0,
                      stepsPerSecond: outcome?.stepsPerSecond ?? 0, worker: worker, versions: versions,
                      device: options.device ?? spec.training.device, startedAt: started, finishedAt: .now(),
                      predictions: outcome?.predictions, artifact: artifact, environment: .current())
        }
        do {
            let trainer = try Trainer(spec: spec, options: options)
            let outcome = try trainer.run()
            let artifact = outcome.checkpoint.map { ContentHash.sha256Hex($0) }
            return (record(outcome.status, outcome, artifact: artifact), outcome.checkpoint)
        } catch let error as GuidanceError {
            return (record(.failed(error: error.description, retryable: false)), nil)
        } catch {
            return (record(.failed(error: "\(error)", retryable: false)), nil)
        }
    }
}
