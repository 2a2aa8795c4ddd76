public import Torch

/// What a model reads, per example.
public enum ModelInput: Hashable, Sendable, CustomStringConvertible {
    /// float [N, channels, height, width]
    case image(channels: Int, height: Int, width: Int)
    /// float [N, channels, length]
    case signal(channels: Int, length: Int)
    /// int64 ids [N, length] in 0..<vocabulary (padded sequences come with a padding mask)
    case tokens(length: Int, vocabulary: Int)

    public var description: String {
        switch self {
        case .image(let c, let h, let w): "image \(c)×\(h)×\(w)"
        case .signal(let c, let l): "signal \(c)×\(l)"
        case .tokens(let l, let v): "tokens \(l) (vocabulary \(v))"
        }
    }

    /// Shape of one batch of `n` examples.
    public func batchShape(_ n: Int) -> [Int] {
        switch self {
        case .image(let c, let h, let w): [n, c, h, w]
        case .signal(let c, let l): [n, c, l]
        case .tokens(let l, _): [n, l]
        }
    }
}

/// What a model produces.
public enum ModelOutput: Hashable, Sendable, CustomStringConvertible {
    /// [N, classes]: one label per example.
    case classes(Int)
    /// [N, length, vocabulary]: one label per input position, seeing the whole input.
    case perToken(Int)
    /// [N, length, vocabulary]: position t predicts token t+1 from tokens ≤ t only (causal).
    case nextToken(Int)

    public var description: String {
        switch self {
        case .classes(let k): "\(k) class logits"
        case .perToken(let v): "per-token logits (\(v))"
        case .nextToken(let v): "next-token logits (\(v))"
        }
    }
}

/// One batch as a model sees it.
public struct ModelBatch {
    /// float [N, C, H, W] / [N, C, L] or int64 [N, T].
    public var inputs: Tensor
    /// bool [N, T], true at padding positions (token inputs only); nil when nothing is padded.
    public var paddingMask: Tensor?

    public init(inputs: Tensor, paddingMask: Tensor? = nil) {
        self.inputs = inputs
        self.paddingMask = paddingMask
    }
}

/// The model cannot be built as asked.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public let family: String
    public let message: String

    public init(_ family: String, _ message: String) {
        self.family = family
        self.message = message
    }

    public var description: String { "model \(family): \(message)" }
}
