public import Sweep

/// Which matrices to build; nil fields mean "every one there is" (the metric: each task's primary one).
public struct MatrixQuery: Sendable {
    public var task: String?
    public var metric: String?
    public var condition: Condition?
    public var guideState: GuideState?
    public var reference: Reference

    /// What each selected (condition, guide state) is compared with.
    public enum Reference: String, Sendable, CaseIterable {
        /// The target's own baseline: the guidability matrix.
        case baseline
        /// The same condition with an untrained guide (trained − untrained; selects trained-guide runs).
        case untrainedGuide = "untrained-guide"
        /// Full guidance with the same guide state (guided-init, noise-warmup or distill − guided).
        case fullGuidance = "full-guidance"
    }

    public init(task: String? = nil, metric: String? = nil, condition: Condition? = nil, guideState: GuideState? = nil,
                reference: Reference = .baseline) {
        self.task = task
        self.metric = metric
        self.condition = condition
        self.guideState = guideState
        self.reference = reference
    }
}

extension MatrixBuilder {
    /// The matrices `query` selects, tasks in order, then conditions and guide states.
    /// Throws `ReportError` naming what is available when the task, the metric or the arms match nothing.
    public func matrices(for query: MatrixQuery) throws -> [GuidabilityMatrix] {
        let tasks: [String]
        if let task = query.task {
            guard index.taskNames.contains(task) else { throw ReportError.unknownTask(task, available: index.taskNames) }
            tasks = [task]
        } else {
            tasks = index.taskNames
        }
        if let metric = query.metric, !tasks.contains(where: { index.metrics(forTask: $0).contains(metric) }) {
            let available = Set(tasks.flatMap(index.metrics(forTask:))).sorted()
            throw ReportError.unknownMetric(metric, task: tasks.joined(separator: ", "), available: available)
        }
        var result: [GuidabilityMatrix] = []
        var available: Set<String> = []
        for task in tasks {
            let metrics = index.metrics(forTask: task)
            guard let metric = query.metric ?? MetricDirection.primaryMetric(among: metrics), metrics.contains(metric)
            else { continue }
            let arms = index.arms(forTask: task)
            available.formUnion(arms.filter { $0 != .baseline }.map(\.description))
            for comparison in Self.comparisons(arms: arms, query: query) {
                result += matrices(task: task, metric: metric, comparison: comparison)
            }
        }
        guard !result.isEmpty else {
            throw ReportError.noRuns(selection: Self.describe(query), available: available.sorted())
        }
        return result
    }

    /// The comparisons `query` asks for among the arms that have runs.
    static func comparisons(arms: [Arm], query: MatrixQuery) -> [Comparison] {
        let present = Set(arms)
        let selected = arms.filter { arm in
            arm != .baseline && (query.condition.map { $0 == arm.condition } ?? true)
                && (query.guideState.map { $0 == arm.guideState } ?? true)
        }
        return selected.compactMap { arm in
            let reference: Arm
            switch query.reference {
            case .baseline:
                reference = .baseline
            case .untrainedGuide:
                guard arm.guideState == .trained else { return nil }
                reference = Arm(arm.condition, .untrained)
            case .fullGuidance:
                guard arm.condition != .guided else { return nil }
                reference = Arm(.guided, arm.guideState)
            }
            guard reference == .baseline || present.contains(reference) else { return nil }
            return Comparison(treatment: arm, reference: reference)
        }
    }

    static func describe(_ query: MatrixQuery) -> String {
        var parts: [String] = []
        if let task = query.task { parts.append("task \(task)") }
        if let metric = query.metric { parts.append("metric \(metric)") }
        if let condition = query.condition { parts.append("condition \(condition.rawValue)") }
        if let state = query.guideState { parts.append("\(state.rawValue) guides") }
        parts.append("compared with \(query.reference.rawValue)")
        return parts.joined(separator: ", ")
    }
}
