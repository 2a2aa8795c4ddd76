import Config
import Yams

/// The range a number knob accepts, as the manifest reader checks and error messages say it.
public enum NumberBounds: Sendable {
    /// Any finite number.
    case any
    /// > value.
    case above(Double)
    /// ≥ value.
    case atLeast(Double)
    /// ≥ low and < high.
    case halfOpen(Double, Double)

    var kind: String {
        switch self {
        case .any: return "number"
        case .above(let value): return "number > \(CanonicalJSON.string(ConfigValue.double(value)))"
        case .atLeast(let value): return "number ≥ \(CanonicalJSON.string(ConfigValue.double(value)))"
        case .halfOpen(let low, let high):
            return "number ≥ \(CanonicalJSON.string(ConfigValue.double(low))) and < \(CanonicalJSON.string(ConfigValue.double(high)))"
        }
    }

    func read(_ reader: ManifestReader, _ node: Node, _ path: String) -> Double? {
        switch self {
        case .any: return reader.double(node, path)
        case .above(let value): return reader.double(node, path, above: value)
        case .atLeast(let value): return reader.double(node, path, atLeast: value)
        case .halfOpen(let low, let high): return reader.double(node, path, atLeast: low, below: high)
        }
    }
}
