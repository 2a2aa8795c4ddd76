public import Sweep

/// The runs of one configuration that differ only in seed — a target under one condition, with its guide, the
/// guide's state and its settings — and their final metrics seed by seed.
///
/// What `guidance runs` prints: the raw material under every matrix cell, so that a reader sees each arm's own
/// level (did the target train at all?), not only the paired differences.
public struct RunGroup: Codable, Sendable {
    /// Task display name.
    public var task: String
    /// Target display name (the manifest's label when it has one).
    public var target: String
    public var condition: Condition
    /// Guide display name; nil for the baseline.
    public var guide: String?
    public var guideState: GuideState?
    /// The training and guidance fields in which this group differs from the task's other groups
    /// (`guided_steps=300`); "" when none.
    public var setting: String
    /// Seeds of the runs that finished with metrics (status ok), ascending.
    public var seeds: [Int]
    /// Per requested metric: the value of each seed in `seeds` (nil where that run lacks the metric) and their
    /// summary over seeds.
    public var metrics: [MetricValues]
    /// Runs that diverged (no usable metrics) and runs that failed.
    public var diverged: Int
    public var failed: Int
    /// "k of n seeds train" against the thresholds in use; nil without thresholds.
    public var trains: TrainCount?

    /// One metric of a group across its seeds.
    public struct MetricValues: Codable, Sendable {
        public var name: String
        /// Aligned with `RunGroup.seeds`.
        public var values: [Double?]
        /// Over the values present; nil when none is.
        public var summary: SampleSummary?
    }

    enum CodingKeys: String, CodingKey {
        case task, target, condition, guide, guideState = "guide_state", setting, seeds, metrics, diverged, failed, trains
    }
}

extension RecordIndex {
    /// Every group of runs on `taskName` (nil: every task), in the matrices' order: targets, then condition and guide
    /// state, then guides, then settings. `metrics` are the columns (nil: the task's primary metric, preceded by its
    /// `train_` counterpart when recorded); `thresholds` decide "k of n train" (nil: the manifest's `trains_if`).
    public func runGroups(task taskName: String? = nil, metrics requested: [String]? = nil,
                          thresholds: [String: Double]? = nil) throws -> [RunGroup] {
        let names = try taskName.map { name in
            guard task(named: name) != nil else { throw ReportError.unknownTask(name, available: taskNames) }
            return [name]
        } ?? taskNames
        let thresholds = thresholds ?? trainsIf
        var groups: [RunGroup] = []
        for name in names {
            guard let task = task(named: name) else { continue }
            let recorded = self.metrics(forTask: name)
            let columns = try requested.map { wanted in
                for metric in wanted where !recorded.contains(metric) {
                    throw ReportError.unknownMetric(metric, task: name, available: recorded)
                }
                return wanted
            } ?? Self.defaultMetrics(among: recorded)
            let keys = runs.keys.filter { $0.task == task }
            let labels = Self.settingLabels(keys)
            for key in keys.sorted(by: { order($0, $1, labels: labels) }) {
                groups.append(group(key, taskName: name, setting: labels[key] ?? "", metrics: columns,
                                    thresholds: thresholds))
            }
        }
        return groups
    }

    /// The primary metric, preceded by its training-set counterpart when recorded (`train_accuracy, test_accuracy`).
    public static func defaultMetrics(among recorded: [String]) -> [String] {
        guard let primary = MetricDirection.primaryMetric(among: recorded) else { return [] }
        let parts = primary.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, parts[0] != "train" else { return [primary] }
        let train = "train_" + parts[1]
        return recorded.contains(train) ? [train, primary] : [primary]
    }

    private func group(_ key: RunKey, taskName: String, setting: String, metrics: [String],
                       thresholds: [String: Double]) -> RunGroup {
        let bySeed = runs(key)
        let finished = bySeed.keys.sorted().compactMap { seed in bySeed[seed].flatMap { $0.status == .ok ? $0 : nil } }
        let values = metrics.map { metric in
            let column = finished.map { $0.metrics[metric].flatMap { $0.isFinite ? $0 : nil } }
            return RunGroup.MetricValues(name: metric, values: column, summary: SampleSummary(column.compactMap { $0 }))
        }
        return RunGroup(
            task: taskName, target: name(of: key.target), condition: key.arm.condition,
            guide: key.guide.map { name(of: $0) }, guideState: key.arm.guideState, setting: setting,
            seeds: finished.map(\.spec.seed), metrics: values,
            diverged: bySeed.values.filter { if case .diverged = $0.status { true } else { false } }.count,
            failed: bySeed.values.filter { if case .failed = $0.status { true } else { false } }.count,
            trains: TrainCount(bySeed.values, thresholds: thresholds))
    }

    /// Targets, then arms (condition, untrained before trained), then guides, then setting labels.
    private func order(_ a: RunKey, _ b: RunKey, labels: [RunKey: String]) -> Bool {
        let ta = position(a.target), tb = position(b.target)
        if ta != tb { return ta < tb }
        if a.arm.condition != b.arm.condition { return a.arm.condition < b.arm.condition }
        if a.arm.guideState != b.arm.guideState { return a.arm.guideState != .trained }
        let ga = a.guide.map(guidePosition) ?? -1, gb = b.guide.map(guidePosition) ?? -1
        if ga != gb { return ga < gb }
        return (labels[a] ?? "") < (labels[b] ?? "")
    }

    /// Targets of guided runs first in display order, then models that only ran alone (trained guides' own runs).
    private func position(_ model: ModelKey) -> Int {
        targetOrder.firstIndex(of: model) ?? (targetOrder.count + (guideOrder.firstIndex(of: model) ?? guideOrder.count))
    }

    private func guidePosition(_ model: ModelKey) -> Int { guideOrder.firstIndex(of: model) ?? guideOrder.count }

    /// Labels for what differs between the groups' settings: training and job-kind fields among all groups,
    /// guidance fields among the groups of the same condition only (a baseline carries no guidance, and `guided`
    /// keeps the default of `init_steps`, which it does not read: either would make unread fields look varying).
    static func settingLabels(_ keys: [RunKey]) -> [RunKey: String] {
        let training = VaryingFields.labels(keys.map { TrainingFields(training: $0.setting.training, kind: $0.setting.kind) })
        var guidance: [RunKey: String] = [:]
        for group in Dictionary(grouping: keys.filter { $0.arm != .baseline }, by: \.arm.condition).values {
            for (key, label) in zip(group, VaryingFields.labels(group.map(\.setting.guidance))) { guidance[key] = label }
        }
        var labels: [RunKey: String] = [:]
        for (key, label) in zip(keys, training) {
            labels[key] = [label, guidance[key] ?? ""].filter { !$0.isEmpty }.joined(separator: ", ")
        }
        return labels
    }
}

/// A setting's training and job-kind fields, as a label may mention them.
private struct TrainingFields: Encodable {
    var training: TrainingConfig
    var kind: JobKind
}
