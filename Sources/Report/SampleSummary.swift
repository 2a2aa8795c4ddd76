/// Mean, spread and a Student-t confidence interval of a small sample (seeds).
public struct SampleSummary: Codable, Hashable, Sendable {
    /// Number of values.
    public var count: Int
    public var mean: Double
    /// Sample standard deviation (n − 1 in the denominator); nil below 2 values.
    public var standardDeviation: Double?
    /// Standard error of the mean, sd / √n; nil below 2 values.
    public var standardError: Double?
    /// Two-sided interval for the mean, mean ± t_{(1+level)/2, n−1} · se; nil below 2 values.
    public var interval: ClosedRange<Double>?
    /// Confidence level of `interval` (0.95).
    public var level: Double

    /// Summarizes `values` (at least one) with a `level` interval.
    public init?(_ values: [Double], level: Double = 0.95) {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        count = values.count
        mean = values.reduce(0, +) / n
        self.level = level
        guard values.count >= 2 else { return }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let sd = variance.squareRoot()
        let se = sd / n.squareRoot()
        standardDeviation = sd
        standardError = se
        let half = StudentT.criticalValue(level: level, degreesOfFreedom: n - 1) * se
        interval = (mean - half)...(mean + half)
    }

    /// Half the interval's width (the "±" of `mean ± h`); nil without an interval.
    public var halfWidth: Double? { interval.map { ($0.upperBound - $0.lowerBound) / 2 } }

    enum CodingKeys: String, CodingKey {
        case count = "n", mean, standardDeviation = "sd", standardError = "se", interval = "ci", level
    }
}
