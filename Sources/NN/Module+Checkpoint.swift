public import Foundation
public import Torch

/// A checkpoint does not fit the module it is loaded into.
public struct CheckpointMismatch: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let missing: [String]
    public let unexpected: [String]
    public let mismatched: [String]

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { parts.append("unexpected \(unexpected.joined(separator: ", "))") }
        if !mismatched.isEmpty { parts.append("mismatched \(mismatched.joined(separator: "; "))") }
        return "\(path): checkpoint does not match the model (\(parts.joined(separator: "; "))); was it saved from the same spec?"
    }
}

extension Module {
    /// Saves parameters and persistent buffers by path in safetensors format.
    public func save(to url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.save(stateDict(), metadata: metadata, to: url)
    }

    /// Copies a state dictionary into this module's tensors (in place, without recording gradients). Every path
    /// must be present with the same shape; values are converted to each tensor's dtype and device.
    public func load(_ state: [String: Tensor], source: String = "<state>") throws {
        let mine = stateDict()
        let missing = mine.keys.filter { state[$0] == nil }.sorted()
        let unexpected = state.keys.filter { mine[$0] == nil }.sorted()
        let mismatched = mine.keys.sorted().compactMap { name -> String? in
            guard let theirs = state[name], theirs.shape != mine[name]!.shape else { return nil }
            return "\(name): model \(mine[name]!.shape), checkpoint \(theirs.shape)"
        }
        guard missing.isEmpty, unexpected.isEmpty, mismatched.isEmpty else {
            throw CheckpointMismatch(path: source, missing: missing, unexpected: unexpected, mismatched: mismatched)
        }
        try Torch.withNoGrad {
            for (name, tensor) in mine { try tensor.copy_(state[name]!) }
        }
    }

    /// Loads a safetensors checkpoint written by `save(to:)`.
    public func load(from url: URL) throws {
        try load(SafeTensors.load(from: url), source: url.path)
    }
}
