/// What a model must produce for a task.
public enum OutputKind: Sendable, Hashable, CustomStringConvertible {
    /// One logit vector `[classes]` per example; targets `[N]`.
    case classLogits(classes: Int)
    /// One logit vector `[vocab]` per input position; targets `[N, T]` with `ignoreIndex` where
    /// a position is not scored.
    case perTokenLogits(vocab: Int)
    /// Causal language modelling: position t predicts token t + 1; logits `[N, T, vocab]`,
    /// targets `[N, T]`.
    case nextTokenLogits(vocab: Int)

    /// Width of the final logit vector (classes or vocabulary size).
    public var width: Int {
        switch self {
        case let .classLogits(n), let .perTokenLogits(n), let .nextTokenLogits(n): n
        }
    }

    /// True when targets have one entry per position (`[N, T]`) rather than one per example.
    public var isPerPosition: Bool {
        if case .classLogits = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case let .classLogits(n): "class logits (\(n) classes)"
        case let .perTokenLogits(v): "per-token logits (vocab \(v))"
        case let .nextTokenLogits(v): "next-token logits (vocab \(v))"
        }
    }
}
