public import Torch

/// Collects named intermediate activations ("taps") during one forward pass, in execution order.
///
/// Guidance aligns a target's taps with a guide's, so the activations must come from the same forward pass
/// that computes the output. A model records only when given a recorder; with `nil` the cost is one branch.
public final class TapRecorder: @unchecked Sendable {
    public private(set) var names: [String] = []
    public private(set) var activations: [Tensor] = []

    public init() {}

    /// Appends one activation (shape [N, ...]; flattened per example by the consumer).
    public func record(_ name: String, _ activation: Tensor) {
        names.append(name)
        activations.append(activation)
    }

    /// A view that prefixes names with `prefix.`.
    public func scope(_ prefix: String) -> TapScope { TapScope(recorder: self, prefix: prefix) }
}

/// A recorder seen through a name prefix, handed to sub-layers so their taps get hierarchical names.
public struct TapScope {
    public let recorder: TapRecorder
    public let prefix: String

    public func record(_ name: String, _ activation: Tensor) {
        recorder.record(prefix.isEmpty ? name : "\(prefix).\(name)", activation)
    }

    public func scope(_ name: String) -> TapScope {
        TapScope(recorder: recorder, prefix: prefix.isEmpty ? name : "\(prefix).\(name)")
    }
}
