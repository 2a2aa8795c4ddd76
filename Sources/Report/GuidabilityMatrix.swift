/// A matrix of paired differences for one task, metric, comparison and setting: rows guides, columns
/// targets (display names), `cells[row][column]`.
public struct GuidabilityMatrix: Codable, Hashable, Sendable {
    public var task: String
    public var metric: String
    public var direction: MetricDirection
    public var comparison: Comparison
    /// What distinguishes this matrix's training/guidance settings from the others' ("" when one).
    public var setting: String
    /// Row labels: guides.
    public var guides: [String]
    /// Column labels: targets.
    public var targets: [String]
    /// `cells[guide][target]`.
    public var cells: [[MatrixCell]]
    /// Each target's own metric over its baseline seeds, when the reference is the baseline.
    public var baselines: [BaselineSummary]?
    /// Confidence level of every interval.
    public var level: Double

    public init(task: String, metric: String, comparison: Comparison, setting: String = "", guides: [String],
                targets: [String], cells: [[MatrixCell]], baselines: [BaselineSummary]? = nil, level: Double = 0.95) {
        self.task = task
        self.metric = metric
        direction = MetricDirection(metric: metric)
        self.comparison = comparison
        self.setting = setting
        self.guides = guides
        self.targets = targets
        self.cells = cells
        self.baselines = baselines
        self.level = level
    }

    /// `mnist1d · test_accuracy · guided (trained guide) vs baseline [alpha=0.5]`.
    public var title: String {
        var text = "\(task) · \(metric) · \(comparison)"
        if !setting.isEmpty { text += " [\(setting)]" }
        return text
    }

    /// Whether values are fractions shown in percentage points.
    public var isFraction: Bool { MetricDirection.isFraction(metric) }

    /// Largest |mean Δ| over the cells (for colour scales); 0 when no cell has a value.
    public var maxAbsDelta: Double {
        cells.joined().compactMap { $0.delta.map { abs($0.mean) } }.filter(\.isFinite).max() ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case task, metric, direction, comparison, setting, guides, targets, cells, baselines, level
    }
}

/// A target's own metric across its baseline seeds.
public struct BaselineSummary: Codable, Hashable, Sendable {
    public var target: String
    /// Over the seeds that finished with a finite value (nil when none did).
    public var summary: SampleSummary?
    public var diverged: Int
    public var failed: Int
    /// Baseline runs that reach the manifest's `trains_if` thresholds (nil without thresholds).
    public var trains: TrainCount?

    public init(target: String, summary: SampleSummary?, diverged: Int = 0, failed: Int = 0, trains: TrainCount? = nil) {
        self.target = target
        self.summary = summary
        self.diverged = diverged
        self.failed = failed
        self.trains = trains
    }
}

extension GuidabilityMatrix {
    /// The cell of `guide` (row) and `target` (column) by display name.
    public func cell(guide: String, target: String) -> MatrixCell? {
        guard let r = guides.firstIndex(of: guide), let c = targets.firstIndex(of: target) else { return nil }
        return cells[r][c]
    }

    /// The baseline of `target` by display name.
    public func baseline(target: String) -> BaselineSummary? {
        guard let c = targets.firstIndex(of: target) else { return nil }
        return baselines?[c]
    }
}
