public import Torch

/// y = x·Wᵀ + b. x: [..., inFeatures] → [..., outFeatures].
/// Init (PyTorch's default): W ~ U(−1/√in, 1/√in) (kaiming_uniform, a = √5), b ~ U(−1/√in, 1/√in).
public final class Linear: Module, @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, init p: ParameterInit) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw TorchError("Linear", "features must be positive, got \(inFeatures) → \(outFeatures)")
        }
        weight = try p.kaimingUniformDefault([outFeatures, inFeatures])
        self.bias = bias ? try p.uniform([outFeatures], bound: 1 / Double(inFeatures).squareRoot()) : nil
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.linear(weight: weight, bias: bias) }
}
