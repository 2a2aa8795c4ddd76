import Config
import CoordinatorCommands
import Foundation
import Guidance
import Sweep

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
        try Self.cases.filter(cases.contains).map { name in
            let steps = try profile(guided: name != "unguided", cached: name != "guided-uncached", steps: steps,
                                    warmup: warmup, batchSize: 256, threads: threads)
            return record(name, steps, threads: threads)
        }
    }
}
