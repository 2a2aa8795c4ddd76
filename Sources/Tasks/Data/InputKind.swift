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
