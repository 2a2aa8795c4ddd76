/// Whether a larger value of a metric is better (accuracies) or worse (losses, perplexity).
public enum MetricDirection: String, Codable, Hashable, Sendable {
    case higherIsBetter = "higher-is-better"
    case lowerIsBetter = "lower-is-better"

    /// From the metric's name: `*loss*`, `*perplexity*` and `*error*` are lower-is-better, the rest
    /// (accuracies) higher-is-better.
    public init(metric name: String) {
        let lower = name.lowercased()
        self = ["loss", "perplexity", "error"].contains { lower.contains($0) } ? .lowerIsBetter : .higherIsBetter
    }

    /// +1 or −1: multiply a raw difference by it so that positive means better.
    public var sign: Double { self == .higherIsBetter ? 1 : -1 }

    /// Whether values of the metric are fractions shown as percentages (`*accuracy*`).
    public static func isFraction(_ metric: String) -> Bool { metric.lowercased().contains("accuracy") }

    /// The metric a report shows first for records carrying `names`: test perplexity, accuracy or
    /// token accuracy, then their validation versions, then the first name in sorted order.
    public static func primaryMetric(among names: some Collection<String>) -> String? {
        let preference = ["test_perplexity", "test_accuracy", "test_token_accuracy",
                          "val_perplexity", "val_accuracy", "val_token_accuracy", "test_loss", "val_loss"]
        return preference.first(where: names.contains) ?? names.sorted().first
    }
}
