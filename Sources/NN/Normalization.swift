public import Torch

/// Batch normalisation over dimension 1: BatchNorm1d for [N, C] or [N, C, L], BatchNorm2d for [N, C, H, W].
/// Init: weight 1, bias 0, running mean 0, running var 1 (PyTorch's defaults). Training mode normalises with the
/// batch statistics and updates the running ones with `momentum` (unbiased variance); eval mode uses them.
public final class BatchNorm: Module, @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Buffer
    public let runningVar: Buffer
    public let momentum: Double, eps: Double

    public init(_ features: Int, momentum: Double = 0.1, eps: Double = 1e-5, init p: ParameterInit) throws {
        guard features > 0 else { throw TorchError("BatchNorm", "features must be positive, got \(features)") }
        weight = try p.ones([features])
        bias = try p.zeros([features])
        runningMean = Buffer(try p.constant([features], value: 0))
        runningVar = Buffer(try p.constant([features], value: 1))
        self.momentum = momentum
        self.eps = eps
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.batchNorm(weight: weight, bias: bias, runningMean: runningMean.value, runningVar: runningVar.value,
                        training: isTraining, momentum: momentum, eps: eps)
    }
}

/// Layer normalisation over the trailing `shape` dimensions. Init: weight 1, bias 0.
public final class LayerNorm: Module, @unchecked Sendable {
    public let weight: Tensor
    public let bias: Tensor
    public let shape: [Int]
    public let eps: Double

    public init(_ shape: [Int], eps: Double = 1e-5, init p: ParameterInit) throws {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { throw TorchError("LayerNorm", "invalid shape \(shape)") }
        weight = try p.ones(shape)
        bias = try p.zeros(shape)
        self.shape = shape
        self.eps = eps
        super.init()
    }

    public convenience init(_ features: Int, eps: Double = 1e-5, init p: ParameterInit) throws {
        try self.init([features], eps: eps, init: p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x.layerNorm(shape, weight: weight, bias: bias, eps: eps) }
}
