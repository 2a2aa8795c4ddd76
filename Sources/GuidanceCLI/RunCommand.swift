import ArgumentParser
import CoordinatorCommands
import Foundation
import Guidance
import Sweep
import Torch

/// `guidance run`: one job (task × target × condition × seed), live progress, a summary and a JSON record.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train one target on a task under one condition and write its record.",
        discussion: """
        Examples:
          guidance run --task mnist1d --target fcn --target-opt depth=8 --steps 1000
          guidance run --task mnist1d --target cnn --train-guide --checkpoint-out cnn.safetensors
          guidance run --task mnist1d --target fcn --guide cnn --condition guided --guide-state trained \\
                       --guide-checkpoint cnn.safetensors --out record.json
        """
    )

    @Option(help: "Task name (see `guidance tasks`).") var task: String
    @Option(name: .customLong("task-opt"), help: "Task field as key=value (repeatable).") var taskOptions: [String] = []
    @Option(help: "Target family (see `guidance archs`).") var target: String
    @Option(name: .customLong("target-opt"), help: "Target field as key=value (repeatable).") var targetOptions: [String] = []
    @Option(help: "Guide family.") var guide: String?
    @Option(name: .customLong("guide-opt"), help: "Guide field as key=value (repeatable).") var guideOptions: [String] = []
    @Option(help: "baseline, guided, guided-init, guided-shuffled (the guide reads a permuted copy of each batch), guided-shuffled-init, noise-warmup, distill or distill-init.") var condition: String?
    @Option(name: .customLong("guide-state"), help: "untrained or trained.") var guideState: String = "untrained"
    @Option(name: .customLong("guide-checkpoint"), help: "Checkpoint of the trained guide.") var guideCheckpoint: String?
    @Flag(name: .customLong("train-guide"), help: "Train the target alone and save it as a guide checkpoint.") var trainGuide = false
    @Option(name: .customLong("checkpoint-out"), help: "Write the trained target's checkpoint here.") var checkpointOut: String?

    @Option(help: "Seed for initialisation, batch order, dropout and noise.") var seed: Int = 0
    @Option(help: "Optimizer steps.") var steps: Int = 1000
    @Option(name: .customLong("batch-size"), help: "Examples per batch.") var batchSize: Int = 256
    @Option(help: "adam, adamw or sgd.") var optimizer: String = "adam"
    @Option(help: "Learning rate.") var lr: Double = 1e-3
    @Option(name: .customLong("eval-every"), help: "Evaluate every N steps.") var evalEvery: Int = 100
    @Option(help: "Weight α of the guidance term.") var alpha: Double = 1.0
    @Option(help: "linear-cka, debiased-cka, rbf-cka or rsa.") var similarity: String = "linear-cka"
    @Option(name: .customLong("guide-mode"), help: "eval or train.") var guideMode: String = "eval"
    @Option(name: .customLong("init-steps"), help: "K for guided-init, guided-shuffled-init and distill-init.") var initSteps: Int = 300
    @Option(name: .customLong("noise-steps"), help: "K for noise-warmup.") var noiseSteps: Int = 300
    @Option(name: .customLong("noise-mode"), help: "guide-only or both.") var noiseMode: String = "guide-only"
    @Option(help: "Noise of noise-warmup for image and signal inputs: clamped (clamp(N(0,1) + 0.1·N(0,1), 0, 1)) or normal (N(0,1), for standardised inputs).") var noise: String = "clamped"
    @Option(help: "Distillation temperature τ.") var temperature: Double = 4.0
    @Option(help: "ε in the similarity's denominator (a constant layer gives a finite value).") var epsilon: Double = 1e-8
    @Option(name: .customLong("epsilon-mode"), help: "inside-sqrt (⟨Kc,Lc⟩ / sqrt(⟨Kc,Kc⟩⟨Lc,Lc⟩ + ε), the default) or outside (⟨Kc,Lc⟩ / (‖Kc‖‖Lc‖ + ε)).") var epsilonMode: String = "inside-sqrt"
    @Option(help: "How sequence taps are compared: flat (T·D per example), token-mean, token-sum (per-position similarity, padding left out) or pooled (mean over positions).") var readout: String = "flat"
    @Option(name: .customLong("cka-batch"), help: "Similarity on the first N examples of each batch (3 ≤ N ≤ batch size; default: the whole batch).") var ckaBatch: Int?
    @Option(help: "cpu, cuda or cuda:N.") var device: String = "cpu"
    @Option(help: "Engine threads (default: all cores, or OMP_NUM_THREADS when set).") var threads: Int?
    @Option(help: "Write the JSON record to this file.") var out: String?
    @Flag(help: "Print the JSON record on standard output.") var json = false
    @Flag(help: "No progress line.") var quiet = false

    func spec() throws -> JobSpec {
        let conditionName = condition ?? (trainGuide ? "baseline" : (guide == nil ? "baseline" : "guided"))
        guard let condition = Condition(rawValue: conditionName) else {
            throw CLIError("--condition \(conditionName): use one of \(Condition.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if trainGuide && condition != .baseline { throw CLIError("--train-guide trains the target alone; drop --condition \(conditionName)") }
        if condition.usesGuide && guide == nil { throw CLIError("--condition \(conditionName) needs --guide FAMILY") }
        if condition.shufflesGuideBatch && batchSize < 2 {
            throw CLIError("--condition \(conditionName) shuffles each batch for the guide and needs --batch-size ≥ 2, found \(batchSize)")
        }
        guard let state = GuideState(rawValue: guideState) else { throw CLIError("--guide-state \(guideState): use untrained or trained") }
        guard let optimizerName = OptimizerConfig.Name(rawValue: optimizer) else { throw CLIError("--optimizer \(optimizer): use adam, adamw or sgd") }
        guard let measure = GuidanceConfig.Similarity(rawValue: similarity) else {
            throw CLIError("--similarity \(similarity): use \(GuidanceConfig.Similarity.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let mode = GuidanceConfig.GuideMode(rawValue: guideMode) else { throw CLIError("--guide-mode \(guideMode): use eval or train") }
        guard let noiseModeValue = GuidanceConfig.NoiseMode(rawValue: noiseMode) else { throw CLIError("--noise-mode \(noiseMode): use guide-only or both") }
        guard let noiseValue = GuidanceConfig.NoiseDistribution(rawValue: noise) else { throw CLIError("--noise \(noise): use clamped or normal") }
        guard let epsilonPlacement = GuidanceConfig.EpsilonMode(rawValue: epsilonMode) else {
            throw CLIError("--epsilon-mode \(epsilonMode): use inside-sqrt or outside")
        }
        guard let readoutValue = GuidanceConfig.Readout(rawValue: readout) else {
            throw CLIError("--readout \(readout): use \(GuidanceConfig.Readout.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard epsilon >= 0 else { throw CLIError("--epsilon \(epsilon): use a number ≥ 0") }
        if let ckaBatch, ckaBatch < 3 || ckaBatch > batchSize {
            throw CLIError("--cka-batch \(ckaBatch): use 3 ≤ N ≤ --batch-size (\(batchSize)); below 3 centred CKA is always 1")
        }
        let training = TrainingConfig(steps: steps, batchSize: batchSize, optimizer: OptimizerConfig(name: optimizerName, lr: lr),
                                      evalEvery: evalEvery, device: device)
        let guidance = GuidanceConfig(alpha: alpha, similarity: measure, guideMode: mode, initSteps: initSteps, noiseSteps: noiseSteps,
                                      noiseMode: noiseModeValue, noise: noiseValue, temperature: temperature, epsilon: epsilon,
                                      epsilonMode: epsilonPlacement, ckaBatch: ckaBatch, readout: readoutValue)
        let usesGuide = condition.usesGuide
        return JobSpec(task: TaskSpec(name: task, options: try OptionParsing.options(taskOptions, flag: "--task-opt")),
                       target: ModelSpec(family: target, options: try OptionParsing.options(targetOptions, flag: "--target-opt")),
                       guide: usesGuide ? ModelSpec(family: guide!, options: try OptionParsing.options(guideOptions, flag: "--guide-opt")) : nil,
                       condition: condition, guideState: usesGuide ? state : nil, seed: seed,
                       training: training.normalized(), guidance: guidance.normalized(for: condition))
    }

    func run() throws {
        let spec = try spec()
        if let chosen = Device(device), !chosen.isAvailable { throw CLIError(Device.unavailableMessage(chosen)) }
        // Engine threads are a property of the process, not of the job (they do not enter its id). Without
        // --threads the process default applies: all cores (ProcessSetup), or OMP_NUM_THREADS when set.
        if let threads { Torch.threadCount = threads }
        if trainGuide && checkpointOut == nil { throw CLIError("--train-guide needs --checkpoint-out PATH") }
        var options = Trainer.Options(guideCheckpoint: guideCheckpoint.map { URL(fileURLWithPath: $0) },
                                      saveCheckpoint: checkpointOut != nil)
        let line = ProgressLine(enabled: !quiet)
        options.progress = { line.show($0) }
        let (record, checkpoint) = JobRunner.run(spec, options: options, worker: WorkerRef(id: "local", host: ProcessInfo.processInfo.hostName),
                                                 protocolVersion: 0)
        line.finish()
        if let path = checkpointOut, let checkpoint {
            try checkpoint.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        let encoded = try RecordJSON.encode(record)
        if let out { try encoded.write(to: URL(fileURLWithPath: out), options: .atomic) }
        if json {
            print(String(decoding: encoded, as: UTF8.self))
        } else {
            print(RecordSummary.text(record, checkpoint: checkpointOut.flatMap { checkpoint != nil ? $0 : nil }))
        }
        if case .failed = record.status { throw ExitCode(1) }
    }
}
