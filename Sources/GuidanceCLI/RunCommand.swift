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
    // Shorthands for the common settings: each is `--set` of the key in brackets, with its checks and default.
    @Option(help: Settings.help("training.steps")) var steps: Int?
    @Option(name: .customLong("batch-size"), help: Settings.help("training.batch_size")) var batchSize: Int?
    @Option(help: Settings.help("training.optimizer.name")) var optimizer: String?
    @Option(help: Settings.help("training.optimizer.lr")) var lr: Double?
    @Option(name: .customLong("eval-every"), help: Settings.help("training.eval_every")) var evalEvery: Int?
    @Option(help: Settings.help("guidance.alpha")) var alpha: Double?
    @Option(help: Settings.help("guidance.similarity")) var similarity: String?
    @Option(name: .customLong("guide-mode"), help: Settings.help("guidance.guide_mode")) var guideMode: String?
    @Option(name: .customLong("init-steps"), help: Settings.help("guidance.init_steps")) var initSteps: Int?
    @Option(name: .customLong("noise-steps"), help: Settings.help("guidance.noise_steps")) var noiseSteps: Int?
    @Option(name: .customLong("noise-mode"), help: Settings.help("guidance.noise_mode")) var noiseMode: String?
    @Option(help: Settings.help("guidance.noise")) var noise: String?
    @Option(help: Settings.help("guidance.temperature")) var temperature: Double?
    @Option(help: Settings.help("guidance.epsilon")) var epsilon: Double?
    @Option(name: .customLong("epsilon-mode"), help: Settings.help("guidance.epsilon_mode")) var epsilonMode: String?
    @Option(help: Settings.help("guidance.readout")) var readout: String?
    @Option(name: .customLong("cka-batch"), help: Settings.help("guidance.cka_batch")) var ckaBatch: Int?
    @Option(help: Settings.help("training.device")) var device: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Any training or guidance setting as KEY=VALUE (repeatable): training.optimizer.weight_decay=0.01, guidance.readout=token-mean. Values are read as in a manifest. `guidance settings` lists every key with its default.",
        valueName: "key=value")) var settings: [String] = []
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
        guard let state = GuideState(rawValue: guideState) else { throw CLIError("--guide-state \(guideState): use untrained or trained") }
        let given = try assignments()
        let (training, guidance) = try Settings.resolve(given)
        /// How the user wrote a setting (`--batch-size 1`), or its key when it was left at its default.
        func named(_ key: String) -> String { given.last { $0.key == key }?.origin ?? key }
        if let problem = training.problems().first {
            throw CLIError("\(named("training." + problem.key)): \(problem.message)" + (problem.hint.map { " (\($0))" } ?? ""))
        }
        if condition.shufflesGuideBatch && training.batchSize < 2 {
            throw CLIError("\(named("training.batch_size")): --condition \(conditionName) shuffles each batch for the guide and needs a batch size ≥ 2")
        }
        if let ckaBatch = guidance.ckaBatch, ckaBatch > training.batchSize {
            throw CLIError("\(named("guidance.cka_batch")): larger than the batch size (\(training.batchSize)); use 3 ≤ N ≤ batch size")
        }
        let usesGuide = condition.usesGuide
        return JobSpec(task: TaskSpec(name: task, options: try OptionParsing.options(taskOptions, flag: "--task-opt")),
                       target: ModelSpec(family: target, options: try OptionParsing.options(targetOptions, flag: "--target-opt")),
                       guide: usesGuide ? ModelSpec(family: guide!, options: try OptionParsing.options(guideOptions, flag: "--guide-opt")) : nil,
                       condition: condition, guideState: usesGuide ? state : nil, seed: seed,
                       training: training.normalized(), guidance: guidance.normalized(for: condition))
    }

    /// The shorthand flags given, as settings, then every `--set` in order.
    func assignments() throws -> [Settings.Assignment] {
        var given: [Settings.Assignment] = []
        func shorthand(_ flag: String, _ key: String, _ value: (any CustomStringConvertible)?) {
            if let value { given.append(Settings.Assignment(key: key, value: value.description, origin: "\(flag) \(value)")) }
        }
        shorthand("--steps", "training.steps", steps)
        shorthand("--batch-size", "training.batch_size", batchSize)
        shorthand("--optimizer", "training.optimizer.name", optimizer)
        shorthand("--lr", "training.optimizer.lr", lr)
        shorthand("--eval-every", "training.eval_every", evalEvery)
        shorthand("--device", "training.device", device)
        shorthand("--alpha", "guidance.alpha", alpha)
        shorthand("--similarity", "guidance.similarity", similarity)
        shorthand("--guide-mode", "guidance.guide_mode", guideMode)
        shorthand("--init-steps", "guidance.init_steps", initSteps)
        shorthand("--noise-steps", "guidance.noise_steps", noiseSteps)
        shorthand("--noise-mode", "guidance.noise_mode", noiseMode)
        shorthand("--noise", "guidance.noise", noise)
        shorthand("--temperature", "guidance.temperature", temperature)
        shorthand("--epsilon", "guidance.epsilon", epsilon)
        shorthand("--epsilon-mode", "guidance.epsilon_mode", epsilonMode)
        shorthand("--readout", "guidance.readout", readout)
        shorthand("--cka-batch", "guidance.cka_batch", ckaBatch)
        for text in settings {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw CLIError("--set \(text): expected KEY=VALUE, for example training.steps=500 (`guidance settings` lists the keys)")
            }
            given.append(Settings.Assignment(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]),
                                             origin: "--set \(text)"))
        }
        return given
    }

    func run() throws {
        let spec = try spec()
        if let chosen = Device(spec.training.device), !chosen.isAvailable { throw CLIError(Device.unavailableMessage(chosen)) }
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
