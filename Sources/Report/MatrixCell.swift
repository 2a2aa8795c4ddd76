public import Sweep

/// One (guide, target) cell: treatment − reference of a metric, paired by seed, sign-normalized so that
/// a positive difference means the treatment is better.
public struct MatrixCell: Codable, Hashable, Sendable {
    /// The seeds where both runs finished with a finite value of the metric.
    public var pairs: [SeedPair]
    /// Summary of the paired differences (nil without pairs).
    public var delta: SampleSummary?
    /// Seeds where the treatment was strictly better.
    public var won: Int
    /// Mean difference as a percentage of |mean reference| over the paired seeds (nil if that is 0).
    public var relativePercent: Double?
    /// Runs that did not give a value, by side.
    public var issues: CellIssues
    /// Ids of every treatment and reference run found for this cell (any status), for curves and tracing.
    public var treatmentRuns: [JobID]
    public var referenceRuns: [JobID]
    /// Treatment runs that reach the manifest's `trains_if` thresholds (nil without thresholds).
    public var trains: TrainCount?

    public init(pairs: [SeedPair], issues: CellIssues, treatmentRuns: [JobID] = [], referenceRuns: [JobID] = [],
                level: Double = 0.95, trains: TrainCount? = nil) {
        self.pairs = pairs.sorted { $0.seed < $1.seed }
        delta = SampleSummary(pairs.map(\.delta), level: level)
        won = pairs.filter { $0.delta > 0 }.count
        let referenceMean = pairs.isEmpty ? 0 : pairs.map(\.reference).reduce(0, +) / Double(pairs.count)
        relativePercent = delta.flatMap { referenceMean == 0 ? nil : 100 * $0.mean / abs(referenceMean) }
        self.issues = issues
        self.treatmentRuns = treatmentRuns
        self.referenceRuns = referenceRuns
        self.trains = trains
    }

    /// Whether the interval of the paired difference excludes 0 (at least 2 pairs): the sign is decided.
    public var isDecided: Bool {
        guard let ci = delta?.interval else { return false }
        return ci.lowerBound > 0 || ci.upperBound < 0
    }

    /// Seeds paired.
    public var count: Int { pairs.count }

    /// Whether no run of this cell exists at all (not part of the sweep, or not started).
    public var isEmpty: Bool { pairs.isEmpty && issues.isEmpty }

    /// Short warnings shown with the cell: `n=1`, `2 diverged`, `1 failed`, `ref 1 diverged`, `3 pending`.
    public var marks: [String] {
        var marks: [String] = []
        if count == 1 { marks.append("n=1") }
        if issues.treatmentDiverged > 0 { marks.append("\(issues.treatmentDiverged) diverged") }
        if issues.treatmentFailed > 0 { marks.append("\(issues.treatmentFailed) failed") }
        if issues.referenceDiverged > 0 { marks.append("ref \(issues.referenceDiverged) diverged") }
        if issues.referenceFailed > 0 { marks.append("ref \(issues.referenceFailed) failed") }
        if issues.missingMetric > 0 { marks.append("\(issues.missingMetric) no value") }
        if issues.pending > 0 { marks.append("\(issues.pending) pending") }
        return marks
    }

    enum CodingKeys: String, CodingKey {
        case pairs, delta, won, relativePercent = "relative_percent", issues
        case treatmentRuns = "treatment_runs", referenceRuns = "reference_runs", trains
    }
}

/// One seed's two values and their sign-normalized difference.
public struct SeedPair: Codable, Hashable, Sendable {
    public var seed: Int
    public var treatment: Double
    public var reference: Double
    /// (treatment − reference) × direction sign: positive = treatment better.
    public var delta: Double

    public init(seed: Int, treatment: Double, reference: Double, direction: MetricDirection) {
        self.seed = seed
        self.treatment = treatment
        self.reference = reference
        delta = direction.sign * (treatment - reference)
    }
}

/// Seeds of a cell that gave no pair, and why.
public struct CellIssues: Codable, Hashable, Sendable {
    public var treatmentDiverged = 0
    public var treatmentFailed = 0
    public var referenceDiverged = 0
    public var referenceFailed = 0
    /// Finished runs without a finite value of the metric.
    public var missingMetric = 0
    /// Seeds where one side has no record yet (a running sweep).
    public var pending = 0

    public init() {}

    public var isEmpty: Bool { self == CellIssues() }

    enum CodingKeys: String, CodingKey {
        case treatmentDiverged = "treatment_diverged", treatmentFailed = "treatment_failed"
        case referenceDiverged = "reference_diverged", referenceFailed = "reference_failed"
        case missingMetric = "missing_metric", pending
    }
}
