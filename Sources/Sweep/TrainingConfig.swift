/// How one network is trained: every knob typed, with its default written once, on its property (method.md §7).
///
/// `schema` is the one description of the knobs: manifest keys (snake_case, `batch_size`), JSON, the canonical form
/// that job ids hash, `guidance run --set training.KEY=VALUE` and the `guidance settings` listing all derive from it.
/// To add a knob, add a property with its default and a line to `schema`; leave `written` at `.unlessDefault` so
/// that every existing job id stays what it was.
public struct TrainingConfig: Codable, Hashable, Sendable, SchemaDescribed {
    /// Optimizer steps (minibatches) in the run.
    public var steps: Int = 1000
    /// Examples per minibatch (the paper's 256; CKA is computed per minibatch).
    public var batchSize: Int = 256
    /// Optimizer and its hyperparameters (Adam, lr 1e-3).
    public var optimizer = OptimizerConfig()
    /// Learning-rate schedule (constant, no warm-up).
    public var schedule = ScheduleConfig()
    /// Global gradient-norm clip, or nil for none.
    public var clipNorm: Double? = nil
    /// Evaluate on the validation split every this many steps (and at the end).
    public var evalEvery: Int = 100
    /// Validation batches per evaluation, or nil for the full split.
    public var evalBatches: Int? = nil
    /// Device the worker trains on (`cpu`, `cuda`, `cuda:1`).
    public var device: String = "cpu"
    /// Intra-op threads for the engine, or nil to let the worker decide.
    public var threads: Int? = nil
    /// Store per-example test predictions in the record (for error consistency).
    public var recordPredictions: Bool = false

    public static let schema = SpecSchema<TrainingConfig>([
        .int("steps", \.steps, min: 1, written: .always, help: "Optimizer steps (minibatches) in the run."),
        .int("batch_size", \.batchSize, min: 1, written: .always,
             help: "Examples per minibatch (the paper's 256; the similarity is computed per minibatch)."),
        .nested("optimizer", \.optimizer, shorthand: "name", written: .always, help: "Optimizer and its hyperparameters."),
        .nested("schedule", \.schedule, shorthand: "name", written: .always, help: "Learning-rate schedule over the run's steps."),
        .double("clip_norm", \.clipNorm, .above(0), written: .always, help: "Global gradient-norm clip; null: none."),
        .int("eval_every", \.evalEvery, min: 1, written: .always,
             help: "Evaluate on the validation split every this many steps (and at the end)."),
        .int("eval_batches", \.evalBatches, min: 1, written: .always,
             help: "Validation batches per evaluation during the run; null: the full split (final metrics always use it)."),
        .string("device", \.device, written: .always, help: "Device the worker trains on: cpu, cuda or cuda:N."),
        .int("threads", \.threads, min: 1, written: .always, help: "Engine intra-op threads; null: the worker decides."),
        .bool("record_predictions", \.recordPredictions, written: .always,
              help: "Store per-example test predictions in the record (for error consistency)."),
    ])

    public init() {}

    /// Defaults except where given (a convenience for code and tests; any knob can also be set as a property).
    public init(
        steps: Int? = nil, batchSize: Int? = nil, optimizer: OptimizerConfig? = nil, schedule: ScheduleConfig? = nil,
        clipNorm: Double? = nil, evalEvery: Int? = nil, evalBatches: Int? = nil, device: String? = nil,
        threads: Int? = nil, recordPredictions: Bool? = nil
    ) {
        if let steps { self.steps = steps }
        if let batchSize { self.batchSize = batchSize }
        if let optimizer { self.optimizer = optimizer }
        if let schedule { self.schedule = schedule }
        self.clipNorm = clipNorm
        if let evalEvery { self.evalEvery = evalEvery }
        self.evalBatches = evalBatches
        if let device { self.device = device }
        self.threads = threads
        if let recordPredictions { self.recordPredictions = recordPredictions }
    }

    /// What no single knob's check can see: settings that contradict each other. `key` is the path under
    /// `training` to point at (`schedule.step_size`); a manifest and `guidance run` both refuse them.
    public func problems() -> [(key: String, message: String, hint: String?)] {
        var problems: [(key: String, message: String, hint: String?)] = []
        if schedule.name == .step, schedule.stepSize == nil {
            problems.append(("schedule.step_size", "the step schedule needs step_size (steps between decays)",
                             "add step_size: N, or use schedule: cosine"))
        }
        if schedule.warmupSteps > steps {
            problems.append(("schedule.warmup_steps", "warmup_steps (\(schedule.warmupSteps)) is longer than the run (steps: \(steps))", nil))
        }
        return problems
    }

    /// The same settings with knobs the chosen optimizer and schedule never read reset to their
    /// defaults, so that sweeping them does not create duplicate jobs.
    public func normalized() -> TrainingConfig {
        var copy = self
        copy.optimizer = optimizer.normalized()
        copy.schedule = schedule.normalized()
        return copy
    }
}

/// Optimizer choice and hyperparameters.
public struct OptimizerConfig: Codable, Hashable, Sendable, SchemaDescribed {
    public enum Name: String, Codable, Hashable, Sendable, CaseIterable {
        case adam, adamw, sgd
    }

    public var name: Name = .adam
    /// Learning rate.
    public var lr: Double = 1e-3
    /// Weight decay: 0, or 0.01 for adamw (the reference's sequence setting; choosing the name sets it).
    public var weightDecay: Double = 0
    /// SGD momentum (sgd only).
    public var momentum: Double = 0.9
    /// Adam β1 (adam/adamw only).
    public var beta1: Double = 0.9
    /// Adam β2 (adam/adamw only).
    public var beta2: Double = 0.999

    /// `name` first: it sets the weight-decay default that an explicit weight_decay then overrides.
    public static let schema = SpecSchema<OptimizerConfig>([
        .choice("name", \.name, what: "optimizer", written: .always, help: "The optimizer.",
                didSet: { $0.weightDecay = defaultWeightDecay(for: $0.name) }),
        .double("lr", \.lr, .above(0), written: .always, help: "Learning rate."),
        .double("weight_decay", \.weightDecay, .atLeast(0), written: .always,
                help: "Weight decay (default 0, or 0.01 for adamw)."),
        .double("momentum", \.momentum, .halfOpen(0, 1), written: .always, help: "SGD momentum (sgd only)."),
        .double("beta1", \.beta1, .halfOpen(0, 1), written: .always, help: "Adam β1 (adam and adamw only)."),
        .double("beta2", \.beta2, .halfOpen(0, 1), written: .always, help: "Adam β2 (adam and adamw only)."),
    ])

    public init() {}

    /// Defaults except where given; `weightDecay: nil` takes the optimizer's default (0.01 for adamw, else 0).
    public init(
        name: Name = .adam, lr: Double? = nil, weightDecay: Double? = nil, momentum: Double? = nil,
        beta1: Double? = nil, beta2: Double? = nil
    ) {
        self.name = name
        self.weightDecay = weightDecay ?? Self.defaultWeightDecay(for: name)
        if let lr { self.lr = lr }
        if let momentum { self.momentum = momentum }
        if let beta1 { self.beta1 = beta1 }
        if let beta2 { self.beta2 = beta2 }
    }

    /// 0.01 for adamw, 0 otherwise.
    public static func defaultWeightDecay(for name: Name) -> Double { name == .adamw ? 0.01 : 0 }

    /// Resets the knobs `name` never reads to their defaults.
    public func normalized() -> OptimizerConfig {
        let defaults = OptimizerConfig()
        var copy = self
        switch name {
        case .sgd: copy.beta1 = defaults.beta1; copy.beta2 = defaults.beta2
        case .adam, .adamw: copy.momentum = defaults.momentum
        }
        return copy
    }
}

/// Learning-rate schedule over the run's `steps`.
public struct ScheduleConfig: Codable, Hashable, Sendable, SchemaDescribed {
    public enum Name: String, Codable, Hashable, Sendable, CaseIterable {
        /// The optimizer's lr throughout (after warm-up).
        case constant
        /// lr × gamma every `stepSize` steps.
        case step
        /// Cosine decay from lr to 0 over the run (after warm-up).
        case cosine
    }

    public var name: Name = .constant
    /// Linear warm-up from 0 over this many steps.
    public var warmupSteps: Int = 0
    /// Steps between decays (`step` only; required there).
    public var stepSize: Int? = nil
    /// Decay factor (`step` only).
    public var gamma: Double = 0.1

    public static let schema = SpecSchema<ScheduleConfig>([
        .choice("name", \.name, what: "schedule", written: .always,
                help: "constant: the optimizer's lr; step: lr × gamma every step_size steps; cosine: decay to 0."),
        .int("warmup_steps", \.warmupSteps, min: 0, written: .always, help: "Linear warm-up from 0 over this many steps."),
        .int("step_size", \.stepSize, min: 1, written: .always, help: "Steps between decays (step only; required there)."),
        .double("gamma", \.gamma, .above(0), written: .always, help: "Decay factor (step only)."),
    ])

    public init() {}

    /// Defaults except where given.
    public init(name: Name = .constant, warmupSteps: Int? = nil, stepSize: Int? = nil, gamma: Double? = nil) {
        self.name = name
        if let warmupSteps { self.warmupSteps = warmupSteps }
        self.stepSize = stepSize
        if let gamma { self.gamma = gamma }
    }

    /// Resets the knobs `name` never reads to their defaults.
    public func normalized() -> ScheduleConfig {
        let defaults = ScheduleConfig()
        var copy = self
        if name != .step { copy.stepSize = defaults.stepSize; copy.gamma = defaults.gamma }
        return copy
    }
}
