import Yams

extension ManifestReader {
    /// The `training` block expanded over its axes (`TrainingConfig.schema`); `[TrainingConfig()]` when absent, nil
    /// on errors.
    func trainings(_ node: Node?, _ path: String = "training") -> [TrainingConfig]? {
        guard let node else { return [TrainingConfig()] }
        guard let expanded = expand(node, path, TrainingConfig.self) else { return nil }
        let configs = expanded.map { $0.normalized() }.uniqued()
        let schedule = node["schedule"] ?? node
        for config in configs { check(config, node: schedule, path: path) }
        return configs
    }

    private func check(_ config: TrainingConfig, node: Node, path: String) {
        for problem in config.problems() { report(node, join(path, problem.key), problem.message, hint: problem.hint) }
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
