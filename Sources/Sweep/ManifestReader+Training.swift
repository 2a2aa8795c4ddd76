import Yams

extension ManifestReader {
    static let trainingKeys = [
        "steps", "batch_size", "optimizer", "schedule", "clip_norm", "eval_every", "eval_batches", "device",
        "threads", "record_predictions",
    ]
    static let optimizerKeys = ["name", "lr", "weight_decay", "momentum", "beta1", "beta2"]
    static let scheduleKeys = ["name", "warmup_steps", "step_size", "gamma"]

    /// The `training` block expanded over its axes; `[TrainingConfig()]` when absent, nil on errors.
    func trainings(_ node: Node?, _ path: String = "training") -> [TrainingConfig]? {
        guard let node else { return [TrainingConfig()] }
        guard let f = fields(node, path, allowed: Self.trainingKeys) else { return nil }
        var grid = Grid<TrainingConfig>()
        func p(_ key: String) -> String { join(path, key) }
        if let n = f["steps"] { grid.add(axis(n, p("steps")) { self.int($0, $1, min: 1) }) { $0.steps = $1 } }
        if let n = f["batch_size"] {
            grid.add(axis(n, p("batch_size")) { self.int($0, $1, min: 1) }) { $0.batchSize = $1 }
        }
        if let n = f["optimizer"] { addOptimizer(n, p("optimizer"), to: &grid) }
        if let n = f["schedule"] { addSchedule(n, p("schedule"), to: &grid) }
        if let n = f["clip_norm"] {
            grid.add(axis(n, p("clip_norm")) { self.optional($0, $1) { self.double($0, $1, above: 0) } }) {
                $0.clipNorm = $1
            }
        }
        if let n = f["eval_every"] {
            grid.add(axis(n, p("eval_every")) { self.int($0, $1, min: 1) }) { $0.evalEvery = $1 }
        }
        if let n = f["eval_batches"] {
            grid.add(axis(n, p("eval_batches")) { self.optional($0, $1) { self.int($0, $1, min: 1) } }) {
                $0.evalBatches = $1
            }
        }
        if let n = f["device"] { grid.add(axis(n, p("device")) { self.string($0, $1) }) { $0.device = $1 } }
        if let n = f["threads"] {
            grid.add(axis(n, p("threads")) { self.optional($0, $1) { self.int($0, $1, min: 1) } }) {
                $0.threads = $1
            }
        }
        if let n = f["record_predictions"] {
            grid.add(axis(n, p("record_predictions")) { self.bool($0, $1) }) { $0.recordPredictions = $1 }
        }
        guard !grid.failed else { return nil }
        let configs = grid.expand(TrainingConfig()).map { $0.normalized() }.uniqued()
        for config in configs { check(config, node: f["schedule"] ?? node, path: path) }
        return configs
    }

    private func check(_ config: TrainingConfig, node: Node, path: String) {
        let schedule = config.schedule
        if schedule.name == .step, schedule.stepSize == nil {
            report(node, join(path, "schedule.step_size"), "the step schedule needs step_size (steps between decays)",
                   hint: "add step_size: N, or use schedule: cosine")
        }
        if schedule.warmupSteps > config.steps {
            report(node, join(path, "schedule.warmup_steps"),
                   "warmup_steps (\(schedule.warmupSteps)) is longer than the run (steps: \(config.steps))")
        }
    }

    private func addOptimizer(_ node: Node, _ path: String, to grid: inout Grid<TrainingConfig>) {
        let setName: (inout TrainingConfig, OptimizerConfig.Name) -> Void = {
            $0.optimizer.name = $1
            $0.optimizer.weightDecay = OptimizerConfig.defaultWeightDecay(for: $1)
        }
        guard case .mapping = node else {  // shorthand: `optimizer: adamw` or `optimizer: [adam, sgd]`
            grid.add(axis(node, path) { self.choice($0, $1, OptimizerConfig.Name.self, what: "optimizer") }, setName)
            return
        }
        guard let f = fields(node, path, allowed: Self.optimizerKeys) else { grid.add(nil as [Int]?) { _, _ in }; return }
        func p(_ key: String) -> String { join(path, key) }
        // `name` first: it sets the weight-decay default that an explicit weight_decay then overrides.
        if let n = f["name"] {
            grid.add(axis(n, p("name")) { self.choice($0, $1, OptimizerConfig.Name.self, what: "optimizer") }, setName)
        }
        if let n = f["lr"] { grid.add(axis(n, p("lr")) { self.double($0, $1, above: 0) }) { $0.optimizer.lr = $1 } }
        if let n = f["weight_decay"] {
            grid.add(axis(n, p("weight_decay")) { self.double($0, $1, atLeast: 0) }) { $0.optimizer.weightDecay = $1 }
        }
        if let n = f["momentum"] {
            grid.add(axis(n, p("momentum")) { self.double($0, $1, atLeast: 0, below: 1) }) { $0.optimizer.momentum = $1 }
        }
        if let n = f["beta1"] {
            grid.add(axis(n, p("beta1")) { self.double($0, $1, atLeast: 0, below: 1) }) { $0.optimizer.beta1 = $1 }
        }
        if let n = f["beta2"] {
            grid.add(axis(n, p("beta2")) { self.double($0, $1, atLeast: 0, below: 1) }) { $0.optimizer.beta2 = $1 }
        }
    }

    private func addSchedule(_ node: Node, _ path: String, to grid: inout Grid<TrainingConfig>) {
        guard case .mapping = node else {  // shorthand: `schedule: cosine`
            grid.add(axis(node, path) { self.choice($0, $1, ScheduleConfig.Name.self, what: "schedule") }) {
                $0.schedule.name = $1
            }
            return
        }
        guard let f = fields(node, path, allowed: Self.scheduleKeys) else { grid.add(nil as [Int]?) { _, _ in }; return }
        func p(_ key: String) -> String { join(path, key) }
        if let n = f["name"] {
            grid.add(axis(n, p("name")) { self.choice($0, $1, ScheduleConfig.Name.self, what: "schedule") }) {
                $0.schedule.name = $1
            }
        }
        if let n = f["warmup_steps"] {
            grid.add(axis(n, p("warmup_steps")) { self.int($0, $1, min: 0) }) { $0.schedule.warmupSteps = $1 }
        }
        if let n = f["step_size"] {
            grid.add(axis(n, p("step_size")) { self.int($0, $1, min: 1) }) { $0.schedule.stepSize = $1 }
        }
        if let n = f["gamma"] {
            grid.add(axis(n, p("gamma")) { self.double($0, $1, above: 0) }) { $0.schedule.gamma = $1 }
        }
    }

    static let testKeys = ["sleep_ms", "fail_times", "fail_permanent", "diverge"]

    /// The `test` block: every job becomes a runner test job; axes allowed. `[.train]` when absent.
    func kinds(_ node: Node?, _ path: String = "test") -> [JobKind]? {
        guard let node else { return [.train] }
        guard let f = fields(node, path, allowed: Self.testKeys) else { return nil }
        var grid = Grid<SimulatedJobOptions>()
        if let n = f["sleep_ms"] { grid.add(axis(n, join(path, "sleep_ms")) { self.int($0, $1, min: 0) }) { $0.sleepMs = $1 } }
        if let n = f["fail_times"] {
            grid.add(axis(n, join(path, "fail_times")) { self.int($0, $1, min: 0) }) { $0.failTimes = $1 }
        }
        if let n = f["fail_permanent"] {
            grid.add(axis(n, join(path, "fail_permanent")) { self.bool($0, $1) }) { $0.failPermanent = $1 }
        }
        if let n = f["diverge"] { grid.add(axis(n, join(path, "diverge")) { self.bool($0, $1) }) { $0.diverge = $1 } }
        guard !grid.failed else { return nil }
        return grid.expand(SimulatedJobOptions()).uniqued().map { JobKind.test($0) }
    }
}
