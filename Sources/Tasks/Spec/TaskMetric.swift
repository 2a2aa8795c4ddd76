/// A quantity a trainer reports for a task.
public enum TaskMetric: Sendable, Hashable, CustomStringConvertible {
    /// Mean cross-entropy over scored targets (nats).
    case loss
    /// Fraction of examples whose arg-max logit is the target class.
    case accuracy
    /// Fraction of examples whose target class is among the k largest logits.
    case topKAccuracy(Int)
    /// Fraction of scored positions (target ≠ `ignoreIndex`) predicted correctly.
    case tokenAccuracy
    /// exp(mean per-token cross-entropy) over scored positions.
    case perplexity

    /// Stable name used in results and manifests: `loss`, `accuracy`, `top5_accuracy`, ...
    public var name: String {
        switch self {
        case .loss: "loss"
        case .accuracy: "accuracy"
        case let .topKAccuracy(k): "top\(k)_accuracy"
        case .tokenAccuracy: "token_accuracy"
        case .perplexity: "perplexity"
        }
    }

    /// True when a larger value is better.
    public var higherIsBetter: Bool {
        switch self {
        case .loss, .perplexity: false
        case .accuracy, .topKAccuracy, .tokenAccuracy: true
        }
    }

    public var description: String { name }
}
