public import Torch

/// Updates parameters from their accumulated gradients. One optimizer owns a fixed list of parameters (those that
/// required gradients when it was built); parameters without a gradient this step are skipped, as in PyTorch.
public protocol Optimizer: AnyObject {
    /// The learning rate used by the next `step()` (schedules set it before each step).
    var learningRate: Double { get set }
    var parameters: [Tensor] { get }
    /// Applies one update to every parameter that has a gradient, under no-grad.
    func step() throws
}

extension Optimizer {
    /// Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() throws {
        for parameter in parameters { try parameter.zeroGrad() }
    }

    /// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before clipping.
    @discardableResult
    public func clipGradNorm(_ maxNorm: Double) throws -> Double {
        try Tensor.clipGradNorm(parameters.compactMap(\.grad), maxNorm: maxNorm)
    }
}

/// Stochastic gradient descent with optional momentum (PyTorch's formulation: buf ← μ·buf + g, first step
/// buf = g; Nesterov uses g + μ·buf) and L2 weight decay (g ← g + λ·p).
public final class SGD: Optimizer {
    public var learningRate: Double
    public let parameters: [Tensor]
    public let momentum: Double
    public let weightDecay: Double
    public let nesterov: Bool
    private var buffers: [Tensor?]

    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() throws {
        try Torch.withNoGrad {
            for (index, parameter) in parameters.enumerated() {
                guard var g = parameter.grad else { continue }
                if weightDecay != 0 { g = try g + weightDecay * parameter }
                if momentum != 0 {
                    let buffer: Tensor
                    if let existing = buffers[index] {
                        try existing.mul_(momentum)
                        try existing.add_(g)
                        buffer = existing
                    } else {
                        buffer = try g.clone()
                        buffers[index] = buffer
                    }
                    g = nesterov ? try g + momentum * buffer : buffer
                }
                try parameter.add_(g, alpha: -learningRate)
            }
        }
    }
}

/// Adam (Kingma & Ba) with bias correction; `decoupledWeightDecay` makes it AdamW (Loshchilov & Hutter:
/// p ← p·(1 − lr·λ) before the Adam step) instead of L2 decay added to the gradient. Matches `torch.optim.Adam`
/// / `AdamW` update for update (one fused call per parameter).
public final class Adam: Optimizer {
    public var learningRate: Double
    public let parameters: [Tensor]
    public let beta1: Double, beta2: Double, eps: Double
    public let weightDecay: Double
    public let decoupledWeightDecay: Bool
    private var moments: [(Tensor, Tensor)?]
    private var steps: [Int]

    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        moments = Array(repeating: nil, count: parameters.count)
        steps = Array(repeating: 0, count: parameters.count)
    }

    /// AdamW with PyTorch's default decay 0.01.
    public static func adamW(_ parameters: [Tensor], learningRate: Double = 1e-3, weightDecay: Double = 0.01) -> Adam {
        Adam(parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() throws {
        for (index, parameter) in parameters.enumerated() {
            guard let g = parameter.grad else { continue }
            let (m, v): (Tensor, Tensor)
            if let existing = moments[index] {
                (m, v) = existing
            } else {
                m = try Tensor.zeros(parameter.shape, dtype: parameter.dtype, device: parameter.device)
                v = try Tensor.zeros(parameter.shape, dtype: parameter.dtype, device: parameter.device)
                moments[index] = (m, v)
            }
            steps[index] += 1
            try parameter.adamStep(grad: g, expAvg: m, expAvgSq: v, step: steps[index], lr: learningRate, beta1: beta1,
                                   beta2: beta2, eps: eps, weightDecay: weightDecay, decoupled: decoupledWeightDecay)
        }
    }
}
