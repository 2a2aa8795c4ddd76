public import Torch

/// Base class of every layer and model.
///
/// A module's state is discovered from its stored properties (by reflection, as PyTorch discovers attributes):
/// a `Tensor` property is a **parameter**, a ``Buffer`` property is non-trained state (BatchNorm's running
/// statistics), a `Module`, `[Module]` or optional `Module` property is a child. Paths join property names and
/// array indices with dots, as PyTorch's `state_dict` does: `blocks.3.linear.weight`. A property whose name
/// starts with an underscore is ignored (use it for caches). Parameters are created with `requiresGrad` on.
open class Module: @unchecked Sendable {
    /// Training mode: dropout active, batch norm using batch statistics and updating its running ones.
    public private(set) var isTraining = true

    public init() {}

    /// Direct children with their paths (array elements as `name.index`, nested arrays as `name.i.j`).
    public var namedChildren: [(String, Module)] {
        var result: [(String, Module)] = []
        visitProperties { name, value in
            Self.walk(name, value) { path, item in
                if let module = item as? Module { result.append((path, module)) }
            }
        }
        return result
    }

    /// Every parameter of this module and its descendants, in declaration order, with its path.
    public func namedParameters() -> [(String, Tensor)] {
        var state = CollectedState()
        collect(prefix: "", into: &state)
        return state.parameters
    }

    /// Every buffer of this module and its descendants, with its path.
    public func namedBuffers() -> [(String, Buffer)] {
        var state = CollectedState()
        collect(prefix: "", into: &state)
        return state.buffers
    }

    /// Parameters and persistent buffers by path: what a checkpoint stores (PyTorch's `state_dict`).
    public func stateDict() -> [String: Tensor] {
        var state: [String: Tensor] = [:]
        for (name, tensor) in namedParameters() { state[name] = tensor }
        for (name, buffer) in namedBuffers() where buffer.isPersistent { state[name] = buffer.value }
        return state
    }

    /// The parameters the optimizer should update (those that still require gradients).
    public func trainableParameters() -> [Tensor] { namedParameters().map(\.1).filter(\.requiresGrad) }

    /// Total number of parameter elements.
    public var parameterCount: Int { namedParameters().reduce(0) { $0 + $1.1.count } }

    /// Switches this module and every descendant to training (`true`) or evaluation (`false`) mode.
    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, child) in namedChildren { child.train(on) }
    }

    /// Evaluation mode (dropout off, batch norm uses running statistics).
    public func eval() { train(false) }

    /// Stops (or restarts) gradient recording for every parameter: a frozen module is never updated and its
    /// parameters receive no gradients.
    public func freeze(_ frozen: Bool = true) throws {
        for (_, parameter) in namedParameters() { try parameter.requiresGrad(!frozen) }
    }

    /// Drops the accumulated gradients of every parameter.
    public func zeroGrad() throws {
        for (_, parameter) in namedParameters() { try parameter.zeroGrad() }
    }

    // MARK: reflection

    private func visitProperties(_ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let m = mirror {
            levels.append(m)
            mirror = m.superclassMirror
        }
        // Base-class properties first, so subclasses' extra state follows.
        for level in levels.reversed() {
            for child in level.children {
                guard let label = child.label, !label.hasPrefix("_") else { continue }
                let name = label.hasPrefix("$__lazy_storage_$_") ? String(label.dropFirst(18)) : label
                if let unwrapped = unwrapOptional(child.value) { body(name, unwrapped) }
            }
        }
    }

    private struct CollectedState {
        var parameters: [(String, Tensor)] = []
        var buffers: [(String, Buffer)] = []
    }

    private func collect(prefix: String, into state: inout CollectedState) {
        var children: [(String, Module)] = []
        visitProperties { name, value in
            Self.walk(name, value) { path, item in
                switch item {
                case let tensor as Tensor: state.parameters.append((prefix + path, tensor))
                case let buffer as Buffer: state.buffers.append((prefix + path, buffer))
                case let module as Module: children.append((path, module))
                default: break
                }
            }
        }
        for (name, child) in children { child.collect(prefix: prefix + name + ".", into: &state) }
    }

    /// Calls `body` for a property value, or for each element of (nested) arrays with `.index` appended to the path.
    private static func walk(_ path: String, _ value: Any, _ body: (String, Any) -> Void) {
        if let array = value as? [Any], !(value is Tensor) {
            for (index, element) in array.enumerated() {
                if let element = unwrapOptional(element) { walk("\(path).\(index)", element, body) }
            }
        } else {
            body(path, value)
        }
    }
}

/// Non-trained module state (running statistics): saved in checkpoints unless not persistent, never given to
/// an optimizer. The tensor is updated in place by the layer that owns it.
public final class Buffer: @unchecked Sendable {
    public let value: Tensor
    public let isPersistent: Bool

    public init(_ value: Tensor, persistent: Bool = true) {
        self.value = value
        self.isPersistent = persistent
    }
}

private func unwrapOptional(_ value: Any) -> Any? {
    let mirror = Mirror(reflecting: value)
    guard mirror.displayStyle == .optional else { return value }
    return mirror.children.first.map(\.value)
}
