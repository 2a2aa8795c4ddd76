import Foundation
import Models
import NN
import Sweep
import Tasks
import Torch

/// The mutable state of one run: batches, running means, curves. Separate from `Trainer` so the trainer's
/// configuration stays immutable.
struct TrainingLoop {
    let trainer: Trainer
    var batches: AnyIterator<(batch: HostBatch, indices: [Int])>
    /// The frozen guide's side for every training example (set by `Trainer.run` when the job uses one).
    var guideCache: GuideCache?
    var guideCacheUse: GuideCacheUse?
    var noise: Generator
    /// The guided-shuffled conditions' batch permutations (drawn only at their guided steps).
    var guideShuffle: GuideShuffle
    var curves: [CurvePoint] = []
    var lastGuidanceLoss: Double?
    var stepsPerSecond = 0.0
    /// Test metrics at the best validation point so far.
    var bestValidation: BestValidation
    private var window = RunningMeans()
    private var lastFiniteLoss = Double.nan
    private var lastReport = Date()

    init(trainer: Trainer) {
        self.trainer = trainer
        batches = trainer.data.indexedTrainingBatches(size: trainer.spec.training.batchSize, seed: Seeds.derive(trainer.spec.seed, .batches))
        noise = Generator(seed: Seeds.derive(trainer.spec.seed, .noise))
        guideShuffle = GuideShuffle(seed: Seeds.derive(trainer.spec.seed, .guideShuffle))
        bestValidation = BestValidation(metric: trainer.primaryMetric)
    }

    private var spec: JobSpec { trainer.spec }
    private var profile: StepProfile? { trainer.options.profile }

    /// The next training batch and the training-split indices of its examples.
    mutating func nextBatch() throws -> (batch: LabeledBatch, indices: [Int]) {
        guard let (host, indices) = batches.next() else {
            throw GuidanceError.configuration("the training split has fewer examples than one batch (\(spec.training.batchSize)); lower batch_size")
        }
        profile?.mark(.batch)
        defer { profile?.mark(.tensors) }
        return (try trainer.data.tensors(host), indices)
    }

    // MARK: noise warm-up

    /// K steps aligning the target to the guide on noise inputs, guidance loss only (method.md §5). The guide always
    /// sees noise; the target sees noise too in mode `both`, a real batch in `guide-only` (the reference code). The
    /// warm-up's batches come from a stream of their own (`Seeds.Stream.warmupBatches`), not from the training
    /// batches: the training steps after it see exactly the baseline's batch order.
    mutating func noiseWarmup() throws -> JobStatus? {
        guard case .alignOnNoise(let steps) = trainer.conditionPlan.warmup, trainer.guide != nil, trainer.alignment != nil else {
            return nil
        }
        trainer.target.train()
        let warmupBatches = trainer.data.indexedTrainingBatches(size: spec.training.batchSize,
                                                                seed: Seeds.derive(spec.seed, .warmupBatches))
        for step in 1...Swift.max(steps, 1) where steps > 0 {
            guard let (host, _) = warmupBatches.next() else {
                throw GuidanceError.configuration("the training split has fewer examples than one batch (\(spec.training.batchSize)); lower batch_size")
            }
            let batch = try trainer.data.tensors(host)
            let noiseBatch = try NoiseInputs.like(batch.model, input: trainer.data.modelInput,
                                                  distribution: spec.guidance.noiseDistribution, generator: noise)
            let targetInput = spec.guidance.noiseMode == .both ? noiseBatch : batch.model
            let (_, targetTaps) = try trainer.target(targetInput, recordTaps: true)
            let g = try alignmentTerm(targetTaps: targetTaps!, targetPadding: targetInput.paddingMask, guideInput: noiseBatch,
                                      indices: nil)
            let loss = try g * spec.guidance.alpha
            if let status = try update(loss, step: step, task: nil, guidance: g) { return status }
            report(phase: .noiseWarmup, step: step, total: steps)
        }
        return nil
    }

    // MARK: training

    mutating func train() throws -> JobStatus {
        let steps = spec.training.steps
        let started = Date()
        // Curve points average the training steps since the last evaluation: noise warm-up losses stay out.
        window = RunningMeans()
        trainer.target.train()
        defer { profile?.endStep() }
        for step in 1...Swift.max(steps, 1) where steps > 0 {
            profile?.beginStep()
            if trainer.options.shouldStop?() == true {
                return .failed(error: "stopped at step \(step) (worker draining)", retryable: true)
            }
            trainer.optimizer.learningRate = trainer.schedule.rate(at: step - 1, base: spec.training.optimizer.lr)
            let (batch, indices) = try nextBatch()
            let (total, task, guidance) = try losses(batch, indices: indices, step: step)
            if let status = try update(total, step: step, task: task, guidance: guidance) { return status }
            stepsPerSecond = Double(step) / Swift.max(Date().timeIntervalSince(started), 1e-9)
            if step % Swift.max(spec.training.evalEvery, 1) == 0 || step == steps {
                profile?.mark(.bookkeeping)
                try evaluationPoint(step: step)
                profile?.mark(.evaluation)
            }
            report(phase: .training, step: step, total: steps)
            profile?.mark(.bookkeeping)
        }
        return .ok
    }

    /// The condition's loss for one batch (the training examples at `indices`): (total, task, guidance term before α).
    mutating func losses(_ batch: LabeledBatch, indices: [Int], step: Int) throws -> (Tensor, Tensor, Tensor?) {
        let term = trainer.conditionPlan.term(atStep: step)
        let (logits, targetTaps) = try trainer.target(batch.model, recordTaps: term.readsTargetTaps)
        let task = try TaskLoss.crossEntropy(logits, batch.targets)
        profile?.mark(.targetForward)
        let extra: Tensor
        switch term {
        case .none:
            return (task, task, nil)
        case .alignToGuide:
            extra = try alignmentTerm(targetTaps: targetTaps!, targetPadding: batch.model.paddingMask, guideInput: batch.model,
                                      indices: indices)
        case .alignToShuffledGuide:
            // Row i of the guide's side is example order[i] of the examples the similarity reads (the first
            // cka_batch, or all): the cache gathers those rows, the live guide reads them.
            let order = guideShuffle.permutation(Swift.min(spec.guidance.ckaBatch ?? indices.count, indices.count))
            extra = try alignmentTerm(targetTaps: targetTaps!, targetPadding: batch.model.paddingMask,
                                      guideInput: try batch.model.rows(order), indices: order.map { indices[$0] })
        case .distillLogits:
            guard let guide = trainer.guide else { throw GuidanceError.configuration("distill needs a guide, and none is given") }
            extra = try Distillation.loss(student: logits, teacher: Torch.withNoGrad { try guide(batch.model).logits },
                                          targets: batch.targets, temperature: spec.guidance.temperature)
        }
        defer { profile?.mark(.similarity) }
        return (try task + extra * spec.guidance.alpha, task, extra)
    }

    /// Σ(1 − similarity) over the mapped tap pairs (before α): the guide's side from the guide cache when this job
    /// has one and the guide reads the training examples at `indices`, else from a no-grad forward of `guideInput`.
    /// Shared by the training steps and the noise warm-up (which passes noise and no indices). With `cka_batch: N`
    /// only the first N rows of each side count (the guide runs on its first N inputs only). `targetPadding` is the
    /// target's input padding (bool [N, T]), for the token and pooled readouts.
    func alignmentTerm(targetTaps: TapRecorder, targetPadding: Tensor?, guideInput: @autoclosure () throws -> ModelBatch,
                       indices: [Int]?) throws -> Tensor {
        guard let alignment = trainer.alignment, let guide = trainer.guide else {
            throw GuidanceError.configuration("condition \(spec.condition.rawValue) aligns to a guide, and none is given")
        }
        var target = targetTaps.activations, padding = targetPadding
        if let n = spec.guidance.ckaBatch {
            target = try target.map { $0.size(0) > n ? try $0.slice(dim: 0, start: 0, end: n) : $0 }
            padding = try padding.map { $0.size(0) > n ? try $0.slice(dim: 0, start: 0, end: n) : $0 }
        }
        if let indices, let cache = guideCache {
            let used = Array(indices.prefix(spec.guidance.ckaBatch ?? indices.count))
            let rows = try Tensor(used.map(Int64.init), shape: [used.count], device: trainer.device)
            let sides = try cache.sides(indices: rows, taps: Set(alignment.pairs.map(\.guide)))
            profile?.mark(.guideForward)
            return try alignment.loss(target: target, cached: sides)
        }
        var input = try guideInput()
        if let n = spec.guidance.ckaBatch { input = try input.prefix(n) }
        let guideTaps = try Torch.withNoGrad { try guide(input, recordTaps: true).taps! }
        profile?.mark(.guideForward)
        return try alignment.loss(target: target, guide: guideTaps.activations, targetPadding: padding,
                                  guidePadding: input.paddingMask)
    }

    /// Backward, clip, step; nil to go on, or `.diverged` when the loss is not finite.
    mutating func update(_ loss: Tensor, step: Int, task: Tensor?, guidance: Tensor?) throws -> JobStatus? {
        let value = try loss.item()
        profile?.mark(.lossCheck)
        guard value.isFinite else { return .diverged(step: step, lastFiniteLoss: lastFiniteLoss) }
        lastFiniteLoss = value
        try trainer.optimizer.zeroGrad()
        try loss.backward()
        if let clip = spec.training.clipNorm { try trainer.optimizer.clipGradNorm(clip) }
        profile?.mark(.backward)
        try trainer.optimizer.step()
        profile?.mark(.optimizer)
        let g = try guidance?.item()
        window.add(total: value, task: try task?.item(), guidance: g)
        if let g { lastGuidanceLoss = g }
        return nil
    }

    mutating func evaluationPoint(step: Int) throws {
        let val = trainer.data.dataset.validation.isEmpty ? trainer.data.dataset.test : trainer.data.dataset.validation
        let values = try trainer.evaluate(val).values
        if !trainer.data.dataset.validation.isEmpty, !trainer.data.dataset.test.isEmpty,
           bestValidation.improves(values[trainer.primaryMetric]) {
            bestValidation.record(value: values[trainer.primaryMetric]!, step: step,
                                  test: try trainer.evaluate(trainer.data.dataset.test, full: true).values)
        }
        let means = window.take()
        curves.append(CurvePoint(step: step, trainLoss: means.total, taskLoss: means.task, guidanceLoss: means.guidance,
                                 valLoss: values["loss"], valMetric: values[trainer.primaryMetric]))
        lastReport = .distantPast
    }

    mutating func report(phase: TrainingProgress.Phase, step: Int, total: Int) {
        guard let progress = trainer.options.progress,
              Date().timeIntervalSince(lastReport) >= trainer.options.progressInterval || step == total else { return }
        lastReport = Date()
        let last = curves.last
        let rate = phase == .training ? stepsPerSecond : 0
        progress(TrainingProgress(phase: phase, step: step, totalSteps: total, trainLoss: window.peek.total ?? last?.trainLoss,
                                  taskLoss: window.peek.task ?? last?.taskLoss, guidanceLoss: window.peek.guidance ?? last?.guidanceLoss,
                                  valMetric: last?.valMetric, metricName: trainer.primaryMetric, stepsPerSecond: rate,
                                  etaSeconds: rate > 0 ? Double(total - step) / rate : nil))
    }
}

/// Means of the per-step losses since the last evaluation.
struct RunningMeans {
    private var sums = (total: 0.0, task: 0.0, guidance: 0.0)
    private var counts = (total: 0, task: 0, guidance: 0)

    mutating func add(total: Double, task: Double?, guidance: Double?) {
        sums.total += total; counts.total += 1
        if let task { sums.task += task; counts.task += 1 }
        if let guidance { sums.guidance += guidance; counts.guidance += 1 }
    }

    var peek: (total: Double?, task: Double?, guidance: Double?) {
        (counts.total > 0 ? sums.total / Double(counts.total) : nil,
         counts.task > 0 ? sums.task / Double(counts.task) : nil,
         counts.guidance > 0 ? sums.guidance / Double(counts.guidance) : nil)
    }

    mutating func take() -> (total: Double?, task: Double?, guidance: Double?) {
        defer { self = RunningMeans() }
        return peek
    }
}
