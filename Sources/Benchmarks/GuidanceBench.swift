import Config
import CoordinatorCommands
import Foundation
import Guidance
import Sweep
import Torch

/// The guidance suite: a deep FCN target (`fcn`, depth 8, width 256) on MNIST-1D at batch 256, trained alone
/// (`unguided`) and guided by an untrained plain CNN (`cnn`, defaults) with linear CKA (`guided`), through the real
/// `Trainer` with its step profiler on. A step's time is the sum of its profiled phases without the evaluation.
/// `guided` reads the frozen guide's side from the guide cache (the default; built once before the first step, not
/// timed); `guided-uncached` runs the guide at every step (the algorithm before issue 13).
enum GuidanceBench {
    static let targetOptions: [String: ConfigValue] = ["depth": .int(8), "width": .int(256)]

    static func spec(guided: Bool, steps: Int, batchSize: Int, threads: Int) -> JobSpec {
        // Evaluate only at the end, on one batch: the bench times training steps.
        let training = TrainingConfig(steps: steps, batchSize: batchSize, evalEvery: steps + 1, evalBatches: 1, threads: threads)
        let condition: Condition = guided ? .guided : .baseline
        return JobSpec(task: TaskSpec(name: "mnist1d", options: [:]),
                       target: ModelSpec(family: "fcn", options: targetOptions),
                       guide: guided ? ModelSpec(family: "cnn", options: [:]) : nil,
                       condition: condition, guideState: guided ? .untrained : nil, seed: 0,
                       training: training.normalized(), guidance: GuidanceConfig().normalized(for: condition))
    }

    /// Per-step phase times (ms) of the timed steps of one run.
    static func profile(guided: Bool, cached: Bool = true, steps: Int, warmup: Int, batchSize: Int, threads: Int) throws -> [[StepProfile.Phase: Double]] {
        var options = Trainer.Options()
        options.useGuideCache = cached
        let profile = StepProfile()
        options.profile = profile
        let trainer = try Trainer(spec: spec(guided: guided, steps: warmup + steps, batchSize: batchSize, threads: threads),
                                  options: options)
        let outcome = try trainer.run()
        guard case .ok = outcome.status else { throw CLIError("bench run ended as \(outcome.status)") }
        if guided, cached, outcome.guideCache?.used != true {
            throw CLIError("the guided bench run did not use the guide cache: \(outcome.guideCache?.reason ?? "no record")")
        }
        return profile.steps.dropFirst(warmup).map { $0.mapValues { $0 * 1000 } }
    }

    /// A record from profiled steps: the step time excludes evaluation; phases are medians over the steps.
    static func record(_ name: String, _ steps: [[StepProfile.Phase: Double]], threads: Int, suite: String = "guidance") -> BenchRecord {
        let totals = steps.map { step in step.filter { $0.key != .evaluation }.values.reduce(0, +) }
        var phases: [String: Double] = [:]
        for phase in StepProfile.Phase.allCases where phase != .evaluation {
            // Median over steps (a step that skipped the phase counts 0): robust to the long stalls a shared
            // machine inserts; the medians need not add up to the median step.
            let values = steps.map { $0[phase] ?? 0 }
            if steps.contains(where: { $0[phase] != nil }) { phases[phase.rawValue] = BenchStatistics.median(values) }
        }
        return BenchRecord(suite: suite, case: name, threads: threads, samplesMs: totals, phasesMs: phases)
    }

    /// The suite's cases, in the order they run.
    static let cases = ["unguided", "guided", "guided-uncached"]

    static func run(steps: Int, warmup: Int, threads: Int, cases: [String] = cases) throws -> [BenchRecord] {
        if cases.contains(where: { $0 != "unguided" }) { try checkGuidedStep(threads: threads) }
        return try Self.cases.filter(cases.contains).map { name in
            let steps = try profile(guided: name != "unguided", cached: name != "guided-uncached", steps: steps,
                                    warmup: warmup, batchSize: 256, threads: threads)
            return record(name, steps, threads: threads)
        }
    }

    /// The target's parameters after one training step from the bench's initialisation and first batch.
    static func targetAfterOneStep(guided: Bool, cached: Bool, threads: Int) throws -> [String: Tensor] {
        var options = Trainer.Options(saveCheckpoint: true)
        options.useGuideCache = cached
        let outcome = try Trainer(spec: spec(guided: guided, steps: 1, batchSize: 256, threads: threads), options: options).run()
        guard case .ok = outcome.status, let checkpoint = outcome.checkpoint else {
            throw CLIError("bench check: one step ended as \(outcome.status) with no checkpoint")
        }
        return try SafeTensors.decode(checkpoint)
    }

    /// Σ |a − b| over every parameter and buffer of two states of the target.
    static func distance(_ a: [String: Tensor], _ b: [String: Tensor]) throws -> Double {
        try a.keys.reduce(0) { total, name in try total + (a[name]! - b[name]!).abs().sum().item() }
    }

    /// Refuses to time a guided step that is not the guided algorithm: one step from the same initialisation and batch,
    /// guided through the guide cache, guided without it and unguided. Guidance must move the target (the loss adds
    /// α·Σ(1 − CKA), whose gradient reaches every tapped layer), and the cached step must land where the uncached one
    /// does, up to rounding: within 1% of the guided/unguided distance (measured on the Zen 3 machine of stop 24:
    /// 0.12%; with one of the four Gram terms' gradients dropped, 7.8%). A build whose cached terms give no gradient,
    /// even one of them, fails here instead of timing as a speed-up (it happened once: a term list that autograd
    /// took for a constant).
    static func checkGuidedStep(threads: Int) throws {
        let unguided = try targetAfterOneStep(guided: false, cached: false, threads: threads)
        let uncached = try targetAfterOneStep(guided: true, cached: false, threads: threads)
        let cached = try targetAfterOneStep(guided: true, cached: true, threads: threads)
        let guidance = try distance(uncached, unguided), cache = try distance(cached, uncached)
        guard guidance > 0 else {
            throw CLIError("bench check: the guided step left the target exactly as the unguided step did: the guidance term gave no gradient, so this build is not timed")
        }
        guard cache <= 0.01 * guidance else {
            throw CLIError("bench check: one guided step through the guide cache lands \(cache) (Σ|Δ|) away from the uncached step, against \(guidance) between guided and unguided: the cached terms are not the guided algorithm, so this build is not timed")
        }
        FileHandle.standardError.write(Data("bench check: one guided step, cached vs uncached: Σ|Δ| \(cache), guided vs unguided \(guidance)\n".utf8))
    }
}
