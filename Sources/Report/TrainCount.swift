public import Sweep

/// "k of n seeds train" (manifest `trains_if`): of a cell's runs that finished (ok or diverged), how many reached
/// every threshold — at least the value for higher-is-better metrics, at most for lower-is-better ones. A diverged
/// run does not train; a failed run is not counted.
public struct TrainCount: Codable, Hashable, Sendable {
    public var trained: Int
    public var finished: Int

    public init(trained: Int, finished: Int) {
        self.trained = trained
        self.finished = finished
    }

    /// Over `runs`; nil when there are no thresholds.
    public init?(_ runs: some Sequence<JobRecord>, thresholds: [String: Double]) {
        guard !thresholds.isEmpty else { return nil }
        var trained = 0, finished = 0
        for run in runs {
            switch run.status {
            case .failed: continue
            case .diverged: finished += 1
            case .ok:
                finished += 1
                if Self.trains(run.metrics, thresholds: thresholds) { trained += 1 }
            }
        }
        self.init(trained: trained, finished: finished)
    }

    /// Whether `metrics` reach every threshold (a missing or non-finite value does not).
    public static func trains(_ metrics: [String: Double], thresholds: [String: Double]) -> Bool {
        thresholds.allSatisfy { name, threshold in
            guard let value = metrics[name], value.isFinite else { return false }
            return MetricDirection(metric: name) == .higherIsBetter ? value >= threshold : value <= threshold
        }
    }

    /// `2 of 5 train`.
    public var text: String { "\(trained) of \(finished) train" }
}
