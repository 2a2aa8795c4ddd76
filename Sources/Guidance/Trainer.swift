public import Foundation
public import Models
import NN
public import Sweep
public import Tasks
public import Torch

/// Trains one job's target under its condition (method.md §1, §5) and reports what came out.
///
/// Everything that can be wrong with a job (unknown family, bad sizes, a guide checkpoint that does not fit, a
/// mapping naming missing taps, a condition without a guide) is found by `init`, before any step runs. `run()` then
/// reads top to bottom like the paper's algorithm:
///
///     for each step: batch → target forward (taps captured in the same pass) → task loss
///                    [+ α · Σ(1 − CKA(target tap, guide tap)) with the frozen guide's taps]   guided, guided-init ≤ K
///                    [+ α · τ² · KL(guide ‖ target at temperature τ)]                           distill
///                    → backward → clip → optimizer step
///
/// Divergence (a non-finite loss) ends the run as `diverged` with the step and the last finite loss; it is an
/// outcome, not an error.
public final class Trainer {
    /// What the caller wants beyond the spec.
    public struct Options {
        /// Checkpoint of the trained guide (required when the spec's guide state is `trained`).
        public var guideCheckpoint: URL?
        /// Return the trained target's checkpoint bytes (for a job that trains a guide for others).
        public var saveCheckpoint = false
        /// Called about every `progressInterval` seconds, and at each evaluation.
        public var progress: ((TrainingProgress) -> Void)?
        public var progressInterval = 0.5
        /// Polled between steps; returning true stops the run with a retryable failure (a draining worker).
        public var shouldStop: (() -> Bool)?
        /// Train here instead of on the spec's `training.device` (`cpu`, `cuda:1`): a worker started with
        /// `--device cuda:1` runs CUDA jobs on its own GPU. nil: the spec's device.
        public var device: String?
        /// Times each phase of each training step when set (`guidance bench`); nil in normal runs.
        public var profile: StepProfile?
        /// Where guide caches (issue 13) are kept: a worker passes one store to all its jobs so that jobs with the
        /// same guide, task and taps share one; nil: a store private to this job, with the default budget.
        public var guideCaches: GuideCacheStore?
        /// False: never use a guide cache (the guide runs at every guided step; for comparisons).
        public var useGuideCache = true
        /// Receives warnings (a guide cache budget too small); nil: printed to standard error.
        public var warn: ((String) -> Void)?

        public init(guideCheckpoint: URL? = nil, saveCheckpoint: Bool = false) {
            self.guideCheckpoint = guideCheckpoint
            self.saveCheckpoint = saveCheckpoint
        }
    }

    /// What came out.
    public struct Outcome {
        public var status: JobStatus
        public var metrics: [String: Double]
        public var curves: [CurvePoint]
        public var mapping: [TapPair]
        public var wallSeconds: Double
        public var stepsPerSecond: Double
        public var predictions: [Int]?
        /// safetensors bytes of the trained target, when asked for.
        public var checkpoint: Data?
        /// Whether the guide's side came from a guide cache, and why not; nil without guide taps.
        public var guideCache: GuideCacheUse?
    }

    public let spec: JobSpec
    /// What the spec's condition does, step by step (the one place conditions are told apart).
    let conditionPlan: ConditionPlan
    public let device: Device
    let options: Options
    let data: TaskData
    let target: Model
    let guide: Model?
    let alignment: TapAlignment?
    /// Flattened widths of the guide's and target's taps (for the guide cache's plan).
    let guideWidths: [Int]
    let targetWidths: [Int]
    let optimizer: any Optimizer
    let schedule: LearningRateSchedule
    let primaryMetric: String

    public init(spec: JobSpec, options: Options = Options()) throws {
        self.spec = spec
        conditionPlan = ConditionPlan(spec)
        self.options = options
        let deviceName = options.device ?? spec.training.device
        guard let device = Device(deviceName) else {
            throw GuidanceError.configuration("unknown device \"\(deviceName)\"; use cpu, cuda or cuda:N")
        }
        guard device.isAvailable else {
            throw GuidanceError.configuration(Device.unavailableMessage(device))
        }
        self.device = device
        if let threads = spec.training.threads { Torch.threadCount = threads }
        if let n = spec.guidance.ckaBatch, n > spec.training.batchSize || n < 3 {
            throw GuidanceError.configuration("cka_batch \(n) must be between 3 and batch_size (\(spec.training.batchSize))")
        }
        if spec.condition.shufflesGuideBatch, spec.training.batchSize < 2 {
            throw GuidanceError.configuration("condition \(spec.condition.rawValue) shuffles each batch for the guide and needs batch_size ≥ 2, found \(spec.training.batchSize)")
        }
        data = try TaskData.load(name: spec.task.name, options: spec.task.options, device: device)
        let input = data.modelInput, output = data.modelOutput
        primaryMetric = MetricAccumulator.primaryMetric(output)

        target = try ModelBuilder.build(family: spec.target.family, options: spec.target.options, input: input, output: output,
                                        init: ParameterInit(seed: Seeds.derive(spec.seed, .target), device: device))
        if spec.condition.usesGuide {
            guard let guideSpec = spec.guide else {
                throw GuidanceError.configuration("condition \(spec.condition.rawValue) needs a guide, and none is given")
            }
            let guide = try ModelBuilder.build(family: guideSpec.family, options: guideSpec.options, input: input, output: output,
                                               init: ParameterInit(seed: Seeds.derive(spec.seed, .guide), device: device))
            if spec.guideState == .trained {
                guard let url = options.guideCheckpoint else {
                    throw GuidanceError.guideCheckpoint("the guide state is trained but no checkpoint was given (train it first: `guidance run --train-guide`)")
                }
                try GuideCheckpoint.load(into: guide, spec: guideSpec, task: spec.task, from: url)
            }
            try guide.freeze()
            guide.train(spec.guidance.guideMode == .train)
            self.guide = guide
        } else {
            guide = nil
        }

        let guideTaps = try guide?.describeTapShapes() ?? [], targetTaps = guide == nil ? [] : try target.describeTapShapes()
        guideWidths = guideTaps.map { $0.shape.reduce(1, *) }
        targetWidths = targetTaps.map { $0.shape.reduce(1, *) }
        if guide != nil, conditionPlan.alignsLayers {
            guard let measure = SimilarityMeasure(name: spec.guidance.similarity.rawValue, sigma: spec.guidance.rbfSigma) else {
                throw GuidanceError.configuration("unknown similarity \(spec.guidance.similarity.rawValue)")
            }
            alignment = try TapAlignment(guide: guideTaps.map(\.name), target: targetTaps.map(\.name),
                                         mapping: spec.guidance.mapping, measure: measure, epsilon: spec.guidance.epsilon,
                                         epsilonMode: spec.guidance.epsilonMode, readout: spec.guidance.readout)
            for pair in alignment!.pairs {
                if let problem = TapReadout.problem(spec.guidance.readout, target: targetTaps[pair.target], guide: guideTaps[pair.guide]) {
                    throw GuidanceError.configuration(problem)
                }
            }
        } else {
            alignment = nil
        }
        optimizer = OptimizerFactory.make(spec.training.optimizer, parameters: target.trainableParameters())
        schedule = OptimizerFactory.schedule(spec.training.schedule, steps: spec.training.steps)
    }

    /// Runs the job to completion (or divergence).
    public func run() throws -> Outcome {
        let start = Date()
        let (cache, cacheUse) = try prepareGuideCache()
        Torch.manualSeed(Seeds.derive(spec.seed, .dropout))
        var loop = TrainingLoop(trainer: self)
        loop.guideCache = cache
        loop.guideCacheUse = cacheUse
        if let status = try loop.noiseWarmup() { return try finish(loop, status: status, start: start) }
        let status = try loop.train()
        return try finish(loop, status: status, start: start)
    }

    private func finish(_ loop: TrainingLoop, status: JobStatus, start: Date) throws -> Outcome {
        var metrics: [String: Double] = [:]
        var predictions: [Int]?
        if case .ok = status {
            for (split, values) in [("train", data.dataset.train), ("val", data.dataset.validation), ("test", data.dataset.test)] {
                guard !values.isEmpty else { continue }
                let accumulator = try evaluate(values, record: split == "test" && spec.training.recordPredictions, full: true)
                for (name, value) in accumulator.values { metrics["\(split)_\(name)"] = value }
                if split == "test", spec.training.recordPredictions { predictions = accumulator.predictions }
            }
            if let g = loop.lastGuidanceLoss { metrics["guidance_loss"] = g }
            metrics.merge(loop.bestValidation.metrics) { current, _ in current }
        }
        let checkpoint = options.saveCheckpoint && status == .ok ? try GuideCheckpoint.encode(target, spec: spec.target, task: spec.task) : nil
        return Outcome(status: status, metrics: metrics, curves: loop.curves, mapping: alignment?.named ?? [],
                       wallSeconds: Date().timeIntervalSince(start), stepsPerSecond: loop.stepsPerSecond,
                       predictions: predictions, checkpoint: checkpoint, guideCache: loop.guideCacheUse)
    }

    /// Loss and metrics of the target on a split, in eval mode without gradients: the whole split when `full` (the
    /// final train/validation/test metrics, test at best validation), else at most `evalBatches` batches (the
    /// periodic validation points of the curves).
    func evaluate(_ split: Split, record: Bool = false, full: Bool = false) throws -> MetricAccumulator {
        let wasTraining = target.isTraining
        target.eval()
        defer { target.train(wasTraining) }
        var accumulator = MetricAccumulator(output: data.modelOutput, recordPredictions: record)
        try Torch.withNoGrad {
            for (index, host) in split.evaluationBatches(size: Swift.max(spec.training.batchSize, 256)).enumerated() {
                if !full, !record, let cap = spec.training.evalBatches, index >= cap { break }
                let batch = try data.tensors(host)
                let (logits, _) = try target(batch.model)
                try accumulator.add(logits: logits, targets: batch.targets)
            }
        }
        return accumulator
    }
}
