/// How one network is trained: every knob typed, with a documented default (method.md §7).
///
/// JSON keys are snake_case (`batch_size`); missing keys decode to the defaults below.
public struct TrainingConfig: Codable, Hashable, Sendable {
    /// Optimizer steps (minibatches) in the run. Default 1000.
    public var steps: Int
    /// Examples per minibatch. Default 256 (the paper's; CKA is computed per minibatch).
    public var batchSize: Int
    /// Optimizer and its hyperparameters. Default Adam, lr 1e-3.
    public var optimizer: OptimizerConfig
    /// Learning-rate schedule. Default constant, no warm-up.
    public var schedule: ScheduleConfig
    /// Global gradient-norm clip, or nil for none. Default nil.
    public var clipNorm: Double?
    /// Evaluate on the validation split every this many steps (and at the end). Default 100.
    public var evalEvery: Int
    /// Validation batches per evaluation, or nil for the full split. Default nil.
    public var evalBatches: Int?
    /// Device the worker trains on (`cpu`, `cuda`, `cuda:1`). Default "cpu".
    public var device: String
    /// Intra-op threads for the engine, or nil to let the worker decide. Default nil.
    public var threads: Int?
    /// Store per-example test predictions in the record (for error consistency). Default false.
    public var recordPredictions: Bool

    public init(
        steps: Int = 1000, batchSize: Int = 256, optimizer: OptimizerConfig = OptimizerConfig(),
        schedule: ScheduleConfig = ScheduleConfig(), clipNorm: Double? = nil, evalEvery: Int = 100,
        evalBatches: Int? = nil, device: String = "cpu", threads: Int? = nil, recordPredictions: Bool = false
    ) {
        self.steps = steps
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.clipNorm = clipNorm
        self.evalEvery = evalEvery
        self.evalBatches = evalBatches
        self.device = device
        self.threads = threads
        self.recordPredictions = recordPredictions
    }

    /// The same settings with knobs the chosen optimizer and schedule never read reset to their
    /// defaults, so that sweeping them does not create duplicate jobs.
    public func normalized() -> TrainingConfig {
        var copy = self
        copy.optimizer = optimizer.normalized()
        copy.schedule = schedule.normalized()
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case steps, batchSize = "batch_size", optimizer, schedule, clipNorm = "clip_norm", evalEvery = "eval_every"
        case evalBatches = "eval_batches", device, threads, recordPredictions = "record_predictions"
    }
}

/// Optimizer choice and hyperparameters.
public struct OptimizerConfig: Codable, Hashable, Sendable {
    public enum Name: String, Codable, Hashable, Sendable, CaseIterable {
        case adam, adamw, sgd
    }

    /// Default adam.
    public var name: Name
    /// Learning rate. Default 1e-3.
    public var lr: Double
    /// Weight decay. Default 0, or 0.01 for adamw (the reference's sequence setting).
    public var weightDecay: Double
    /// SGD momentum (sgd only). Default 0.9.
    public var momentum: Double
    /// Adam β1 (adam/adamw only). Default 0.9.
    public var beta1: Double
    /// Adam β2 (adam/adamw only). Default 0.999.
    public var beta2: Double

    /// `weightDecay: nil` takes the optimizer's default (0.01 for adamw, else 0).
    public init(
        name: Name = .adam, lr: Double = 1e-3, weightDecay: Double? = nil, momentum: Double = 0.9,
        beta1: Double = 0.9, beta2: Double = 0.999
    ) {
        self.name = name
        self.lr = lr
        self.weightDecay = weightDecay ?? Self.defaultWeightDecay(for: name)
        self.momentum = momentum
        self.beta1 = beta1
        self.beta2 = beta2
    }

    /// 0.01 for adamw, 0 otherwise.
    public static func defaultWeightDecay(for name: Name) -> Double { name == .adamw ? 0.01 : 0 }

    /// Resets the knobs `name` never reads to their defaults.
    public func normalized() -> OptimizerConfig {
        var copy = self
        switch name {
        case .sgd: copy.beta1 = 0.9; copy.beta2 = 0.999
        case .adam, .adamw: copy.momentum = 0.9
        }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case name, lr, weightDecay = "weight_decay", momentum, beta1, beta2
    }
}

/// Learning-rate schedule over the run's `steps`.
public struct ScheduleConfig: Codable, Hashable, Sendable {
    public enum Name: String, Codable, Hashable, Sendable, CaseIterable {
        /// The optimizer's lr throughout (after warm-up).
        case constant
        /// lr × gamma every `stepSize` steps.
        case step
        /// Cosine decay from lr to 0 over the run (after warm-up).
        case cosine
    }

    /// Default constant.
    public var name: Name
    /// Linear warm-up from 0 over this many steps. Default 0.
    public var warmupSteps: Int
    /// Steps between decays (`step` only; required there). Default nil.
    public var stepSize: Int?
    /// Decay factor (`step` only). Default 0.1.
    public var gamma: Double

    public init(name: Name = .constant, warmupSteps: Int = 0, stepSize: Int? = nil, gamma: Double = 0.1) {
        self.name = name
        self.warmupSteps = warmupSteps
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// Resets the knobs `name` never reads to their defaults.
    public func normalized() -> ScheduleConfig {
        var copy = self
        if name != .step { copy.stepSize = nil; copy.gamma = 0.1 }
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case name, warmupSteps = "warmup_steps", stepSize = "step_size", gamma
    }
}
