public import NN
public import Torch

/// Turns any input kind into a channels-first spatial map for convolutional families: images stay [N, C, H, W]
/// (2 spatial dims), signals stay [N, C, L] (1), token ids become embeddings [N, E, T] (1).
public final class SpatialInput: Module, @unchecked Sendable {
    public let embedding: Embedding?
    /// Channels and spatial sizes of the produced map.
    public let channels: Int
    public let spatialSizes: [Int]

    init(_ input: ModelInput, embedWidth: Int, init p: ParameterInit) throws {
        switch input {
        case .image(let c, let h, let w): embedding = nil; channels = c; spatialSizes = [h, w]
        case .signal(let c, let l): embedding = nil; channels = c; spatialSizes = [l]
        case .tokens(let l, let v):
            embedding = try Embedding(v, embedWidth, init: p)
            channels = embedWidth
            spatialSizes = [l]
        }
        super.init()
    }

    var spatialDims: Int { spatialSizes.count }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let embedding else { return x }
        return try embedding(x).transpose(1, 2)  // [N, T, E] → [N, E, T]
    }
}

/// The classification or per-position head shared by the convolutional families: global average pooling (a tap,
/// `pool`) then Linear for classes; a Linear at every position for per-token outputs.
public final class ConvHead: Module, @unchecked Sendable {
    public let linear: Linear
    let perPosition: Bool
    let spatialDims: Int

    init(channels: Int, output: ModelOutput, spatialDims: Int, family: String, init p: ParameterInit) throws {
        switch output {
        case .classes(let k): linear = try Linear(channels, k, init: p); perPosition = false
        case .perToken(let v): linear = try Linear(channels, v, init: p); perPosition = true
        case .nextToken: throw ModelError(family, "a convolutional network sees both sides of a position; use rnn, lstm or transformer for next-token outputs")
        }
        self.spatialDims = spatialDims
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        if perPosition { return try linear(x.transpose(1, 2)) }  // [N, C, T] → [N, T, V]
        let pooled = try x.adaptiveAvgPool(Array(repeating: 1, count: spatialDims))
        taps?.record("pool", pooled)
        return try linear(pooled.flatten(start: 1))
    }
}
