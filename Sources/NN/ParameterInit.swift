public import Torch

/// Where new parameters are created and which random numbers initialise them.
///
/// Every layer's initialiser takes one of these, so a model built twice from the same seed is identical, on any
/// device (values are drawn on the CPU, then moved). The rules follow PyTorch's defaults layer by layer, so an
/// "untrained guide" here is the same distribution as in the paper's reference code.
public struct ParameterInit: @unchecked Sendable {
    public let device: Device
    public let dtype: DType
    public let generator: Generator

    public init(seed: UInt64, device: Device = .cpu, dtype: DType = .float32) {
        self.device = device
        self.dtype = dtype
        self.generator = Generator(seed: seed)
    }

    /// U(−bound, bound), as `torch.nn.init.uniform_`.
    public func uniform(_ shape: [Int], bound: Double) throws -> Tensor {
        let t = try Tensor.zeros(shape, dtype: dtype)
        try t.uniform_(-bound, bound, generator: generator)
        return try parameter(t)
    }

    /// N(mean, std²), as `torch.nn.init.normal_`.
    public func normal(_ shape: [Int], mean: Double = 0, std: Double = 1) throws -> Tensor {
        let t = try Tensor.zeros(shape, dtype: dtype)
        try t.normal_(mean: mean, std: std, generator: generator)
        return try parameter(t)
    }

    /// PyTorch's default for Linear and Conv weights: kaiming_uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in)
    /// (gain √(2/(1+5)) · √(3/fan_in) = 1/√fan_in). fan_in = shape[1] · ∏ shape[2...].
    public func kaimingUniformDefault(_ shape: [Int]) throws -> Tensor {
        try uniform(shape, bound: 1 / Double(Self.fanIn(shape)).squareRoot())
    }

    /// Xavier/Glorot uniform: U(−a, a), a = √(6 / (fan_in + fan_out)).
    public func xavierUniform(_ shape: [Int]) throws -> Tensor {
        let receptive = shape.dropFirst(2).reduce(1, *)
        let fanIn = shape[1] * receptive, fanOut = shape[0] * receptive
        return try uniform(shape, bound: (6 / Double(fanIn + fanOut)).squareRoot())
    }

    public func zeros(_ shape: [Int]) throws -> Tensor { try parameter(Tensor.zeros(shape, dtype: dtype)) }
    public func ones(_ shape: [Int]) throws -> Tensor { try parameter(Tensor.ones(shape, dtype: dtype)) }

    /// A non-trained tensor on this device (for buffers).
    public func constant(_ shape: [Int], value: Double) throws -> Tensor {
        try Tensor.full(shape, value, dtype: dtype, device: device)
    }

    /// fan_in of a weight: input features × receptive field.
    public static func fanIn(_ shape: [Int]) -> Int { shape.count < 2 ? shape.reduce(1, *) : shape[1] * shape.dropFirst(2).reduce(1, *) }

    private func parameter(_ cpu: Tensor) throws -> Tensor {
        let placed = device == .cpu ? cpu : try cpu.to(device)
        return try placed.requiresGrad(true)
    }
}
