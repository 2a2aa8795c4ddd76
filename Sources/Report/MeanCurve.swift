public import Sweep

/// A training curve averaged over seeds: at each step, the mean of the runs that logged the value there
/// (a diverged run stops contributing after its last finite point).
public struct MeanCurve: Codable, Hashable, Sendable {
    public struct Point: Codable, Hashable, Sendable {
        /// Optimizer step.
        public var step: Int
        public var mean: Double
        /// Runs averaged at this step.
        public var count: Int
    }

    public var points: [Point]

    public init(points: [Point]) { self.points = points }

    /// The mean of `field` over `records`' curves, by step; non-finite values are skipped.
    public init(_ records: [JobRecord], field: KeyPath<CurvePoint, Double?>) {
        var sums: [Int: (Double, Int)] = [:]
        for record in records {
            for point in record.curves {
                guard let value = point[keyPath: field], value.isFinite else { continue }
                let (sum, n) = sums[point.step] ?? (0, 0)
                sums[point.step] = (sum + value, n + 1)
            }
        }
        points = sums.keys.sorted().map { step in
            let (sum, n) = sums[step]!
            return Point(step: step, mean: sum / Double(n), count: n)
        }
    }

    public var isEmpty: Bool { points.isEmpty }
}
