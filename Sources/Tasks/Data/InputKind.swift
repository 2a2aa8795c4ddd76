/// What one example's input looks like, without the batch dimension.
public enum InputKind: Sendable, Hashable, CustomStringConvertible {
    /// Floats, per example `[channels, height, width]`.
    case image(channels: Int, height: Int, width: Int)
    /// Floats, per example `[channels, length]` (a 1-D signal).
    case signal(channels: Int, length: Int)
    /// Token ids in `0..<vocab`, per example `[length]` (padded to `length`).
    case tokens(length: Int, vocab: Int)

    /// The per-example shape, without the batch dimension.
    public var exampleShape: [Int] {
        switch self {
        case let .image(c, h, w): [c, h, w]
        case let .signal(c, l): [c, l]
        case let .tokens(t, _): [t]
        }
    }

    /// Number of values in one example.
    public var exampleSize: Int { exampleShape.reduce(1, *) }

    public var description: String {
        switch self {
        case let .image(c, h, w): "image \(c)×\(h)×\(w)"
        case let .signal(c, l): "signal \(c)×\(l)"
        case let .tokens(t, v): "tokens length \(t), vocab \(v)"
        }
    }
}

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
