extension TrainingConfig {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? d.steps
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        optimizer = try c.decodeIfPresent(OptimizerConfig.self, forKey: .optimizer) ?? d.optimizer
        schedule = try c.decodeIfPresent(ScheduleConfig.self, forKey: .schedule) ?? d.schedule
        clipNorm = try c.decodeIfPresent(Double.self, forKey: .clipNorm)
        evalEvery = try c.decodeIfPresent(Int.self, forKey: .evalEvery) ?? d.evalEvery
        evalBatches = try c.decodeIfPresent(Int.self, forKey: .evalBatches)
        device = try c.decodeIfPresent(String.self, forKey: .device) ?? d.device
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        recordPredictions = try c.decodeIfPresent(Bool.self, forKey: .recordPredictions) ?? d.recordPredictions
    }
}

extension OptimizerConfig {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(Name.self, forKey: .name) ?? .adam,
            lr: try c.decodeIfPresent(Double.self, forKey: .lr) ?? 1e-3,
            weightDecay: try c.decodeIfPresent(Double.self, forKey: .weightDecay),
            momentum: try c.decodeIfPresent(Double.self, forKey: .momentum) ?? 0.9,
            beta1: try c.decodeIfPresent(Double.self, forKey: .beta1) ?? 0.9,
            beta2: try c.decodeIfPresent(Double.self, forKey: .beta2) ?? 0.999)
    }
}

extension ScheduleConfig {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decodeIfPresent(Name.self, forKey: .name) ?? .constant,
            warmupSteps: try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? 0,
            stepSize: try c.decodeIfPresent(Int.self, forKey: .stepSize),
            gamma: try c.decodeIfPresent(Double.self, forKey: .gamma) ?? 0.1)
    }
}

extension TrainingConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("batch_size", batchSize)
        w.field("clip_norm", ifPresent: clipNorm)
        w.field("device", device)
        w.field("eval_batches", ifPresent: evalBatches)
        w.field("eval_every", evalEvery)
        w.field("optimizer", optimizer)
        w.field("record_predictions", recordPredictions)
        w.field("schedule", schedule)
        w.field("steps", steps)
        w.field("threads", ifPresent: threads)
        w.endObject()
    }
}

extension OptimizerConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("beta1", beta1)
        w.field("beta2", beta2)
        w.field("lr", lr)
        w.field("momentum", momentum)
        w.field("name", name.rawValue)
        w.field("weight_decay", weightDecay)
        w.endObject()
    }
}

extension ScheduleConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("gamma", gamma)
        w.field("name", name.rawValue)
        w.field("step_size", ifPresent: stepSize)
        w.field("warmup_steps", warmupSteps)
        w.endObject()
    }
}
