import Config
import Foundation
@testable import Guidance
import Models
import Sweep
import Torch

/// Small, fast job specs for trainer tests: MNIST-1D cut to 600 examples (432 train, 48 validation, 120 test), a
/// two-block FCN target and a two-layer CNN guide, a few dozen steps of 32 examples.
enum TinyJob {
    static let task = TaskSpec(name: "mnist1d", options: ["samples": .int(600)])
    /// Two Linear taps; BatchNorm off so train and eval mode compute the same function.
    static let target = ModelSpec(family: "fcn", options: ["depth": .int(2), "width": .int(32), "batch_norm": .bool(false)])
    static let guide = ModelSpec(family: "cnn", options: ["depth": .int(2), "channels": .int(8)])

    static func spec(condition: Condition = .baseline, guide: ModelSpec? = nil, guideState: GuideState = .untrained,
                     task: TaskSpec = task, target: ModelSpec = target, seed: Int = 0, steps: Int = 20,
                     batchSize: Int = 32, evalEvery: Int = 10, optimizer: OptimizerConfig = OptimizerConfig(lr: 3e-3),
                     guidance: GuidanceConfig = GuidanceConfig()) -> JobSpec {
        let usesGuide = condition.usesGuide
        let training = TrainingConfig(steps: steps, batchSize: batchSize, optimizer: optimizer, evalEvery: evalEvery, threads: 1)
        return JobSpec(task: task, target: target, guide: usesGuide ? (guide ?? Self.guide) : nil, condition: condition,
                       guideState: usesGuide ? guideState : nil, seed: seed, training: training.normalized(),
                       guidance: guidance.normalized(for: condition))
    }

    /// Values of every parameter and persistent buffer, by path, copied out of the engine.
    static func snapshot(_ model: Model) throws -> [String: [Double]] {
        try model.stateDict().mapValues { try $0.doubles() }
    }

    /// A labelled batch of the first `count` test examples, for measurements after training.
    static func probe(_ trainer: Trainer, count: Int = 100) throws -> LabeledBatch {
        try trainer.data.tensors(trainer.data.dataset.test.batch(0..<count))
    }

    /// Σ(1 − CKA) of `target` against `guide` over `alignment`'s pairs on `batch`, both in eval mode, no gradients.
    static func alignmentLoss(target: Model, guide: Model, alignment: TapAlignment, batch: LabeledBatch) throws -> Double {
        let wasTraining = target.isTraining
        target.eval()
        defer { target.train(wasTraining) }
        return try Torch.withNoGrad {
            let t = try target(batch.model, recordTaps: true).taps!.activations
            let g = try guide(batch.model, recordTaps: true).taps!.activations
            return try alignment.loss(target: t, guide: g).item()
        }
    }

    /// A scratch directory removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Collects progress snapshots (the trainer calls back on its own thread, synchronously).
final class ProgressLog: @unchecked Sendable {
    private(set) var events: [(phase: TrainingProgress.Phase, step: Int, total: Int, guidance: Double?)] = []

    func add(_ p: TrainingProgress) { events.append((p.phase, p.step, p.totalSteps, p.guidanceLoss)) }

    /// Trainer options that report every step to this log.
    func options(_ base: Trainer.Options = Trainer.Options()) -> Trainer.Options {
        var options = base
        options.progressInterval = 0
        options.progress = { [self] in add($0) }
        return options
    }
}
