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

    /// `torch.nn.init.kaiming_normal_(mode='fan_in', nonlinearity='relu')`: N(0, 2 / fan_in).
    public func kaimingNormal(_ shape: [Int]) throws -> Tensor {
        try normal(shape, std: (2 / Double(Self.fanIn(shape))).squareRoot())
    }

    /// `torch.nn.init.orthogonal_(gain=1)`: the tensor viewed as [rows, cols] = [shape[0], ∏ shape[1...]] is the Q
    /// factor of the QR decomposition of a standard normal matrix (of [cols, rows] when rows < cols, then
    /// transposed), with R's diagonal made positive, which makes it Haar-distributed. Rows are orthonormal when
    /// rows ≤ cols, columns otherwise. The QR runs in Float64 (Gram–Schmidt, twice for stability) on the host.
    public func orthogonal(_ shape: [Int]) throws -> Tensor {
        let rows = shape.first ?? 1, cols = shape.dropFirst().reduce(1, *)
        let tall = rows >= cols
        let m = tall ? rows : cols, k = tall ? cols : rows  // factor an m×k matrix, m ≥ k
        let gaussian = try Tensor.zeros([k, m], dtype: .float64)
        try gaussian.normal_(mean: 0, std: 1, generator: generator)
        // Columns of the m×k matrix, stored one after another.
        var q = try gaussian.toArray(Double.self)
        for j in 0..<k {
            for _ in 0..<2 {
                for i in 0..<j {
                    var dot = 0.0
                    for r in 0..<m { dot += q[i * m + r] * q[j * m + r] }
                    for r in 0..<m { q[j * m + r] -= dot * q[i * m + r] }
                }
            }
            var norm = 0.0
            for r in 0..<m { norm += q[j * m + r] * q[j * m + r] }
            norm = norm.squareRoot()
            for r in 0..<m { q[j * m + r] /= norm }
        }
        // W[a][b]: tall → column b of Q, entry a; wide → Qᵀ, i.e. column a of Q, entry b.
        var values = [Float](repeating: 0, count: rows * cols)
        for a in 0..<rows {
            for b in 0..<cols { values[a * cols + b] = Float(tall ? q[b * m + a] : q[a * m + b]) }
        }
        return try parameter(Tensor(values, shape: shape).to(dtype))
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
