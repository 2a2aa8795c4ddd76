import Foundation

/// Summary statistics of repeated measurements (same unit as the samples).
struct CoordinatorBenchStats: Codable, Sendable {
    var count: Int
    var median: Double
    var min: Double
    var max: Double
    var mean: Double
    /// 90th and 99th percentiles (nearest rank).
    var p90: Double
    var p99: Double

    /// Statistics of `samples` (at least one).
    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[index]
        }
        median = sorted.isEmpty ? .nan
            : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        p90 = rank(0.9)
        p99 = rank(0.99)
    }

    /// `median (min–max)` with `digits` decimals.
    func text(_ digits: Int = 0) -> String {
        let f = "%.\(digits)f"
        return String(format: f, median) + " (" + String(format: f, min) + "–" + String(format: f, max) + ")"
    }
}
