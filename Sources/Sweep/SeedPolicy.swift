/// Adaptive seeds (manifest `seeds: {initial: 3, max: 12, until: decided}`): every cell starts with seeds
/// `0..<initial`; while a cell's seeds are all finished and its paired interval is still open, the coordinator adds
/// the cell's next seed, up to `max` seeds per cell (and the sweep-wide `max_jobs`). The rule that decides is
/// `SeedAllocator` (target `Coordinator`).
public struct SeedPolicy: Hashable, Sendable {
    /// When a cell has seeds enough.
    public enum StoppingRule: Hashable, Sendable {
        /// The 95% interval of the paired difference excludes 0.
        case decided
        /// The 95% interval's half-width is at most this, in the units matrices show: percentage points for
        /// accuracies (metrics whose name contains `accuracy`), the metric's own units otherwise.
        case halfWidth(Double)
    }

    /// Seeds every cell starts with: `0..<initial`.
    public var initial: Int
    /// Most seeds a cell gets: seeds are added in order, `initial`, `initial + 1`, ... `max − 1`.
    public var max: Int
    public var until: StoppingRule
    /// Metric that decides (`test_accuracy`); nil: the matrix's default metric for the records' metrics.
    public var metric: String?

    public init(initial: Int, max: Int, until: StoppingRule = .decided, metric: String? = nil) {
        self.initial = initial
        self.max = max
        self.until = until
        self.metric = metric
    }

    /// The seeds planned before any result: `0..<initial`.
    public var initialSeeds: [Int] { Array(0..<initial) }

    /// Every seed a cell may get: `0..<max`.
    public var allSeeds: [Int] { Array(0..<max) }
}
