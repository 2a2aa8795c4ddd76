public import NN
public import Torch

/// One layer of a plain CNN: Conv (k×k, same padding, no bias) → BatchNorm → ReLU, then an optional 2× max pool.
public final class ConvLayer: Module, @unchecked Sendable {
    public let conv: Conv
    public let norm: BatchNorm?
    let pool: Bool

    init(spatialDims: Int, _ inChannels: Int, _ outChannels: Int, kernel: Int, batchNorm: Bool, pool: Bool,
         init p: ParameterInit) throws {
        conv = try Conv(spatialDims: spatialDims, inChannels, outChannels, kernel: kernel, padding: kernel / 2,
                        bias: !batchNorm, init: p)
        norm = batchNorm ? try BatchNorm(outChannels, init: p) : nil
        self.pool = pool
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        let z = try conv(x)
        taps?.record("conv", z)
        let h = try (norm.map { try $0(z) } ?? z).relu()
        return pool ? try h.maxPool(kernel: Array(repeating: 2, count: conv.spatialDims)) : h
    }
}

/// Family `cnn`: a plain deep ConvNet without skip connections (the paper's "deep ConvNet"): `depth` ConvLayers
/// whose widths come from `channels` (one value for all, or one per layer), a 2× max pool after every
/// `pool_every` layers (classification only), global average pooling and a Linear head.
/// Taps: `layers.i.conv` (pre-BatchNorm), then `head.pool`.
public final class PlainCNN: Model, @unchecked Sendable {
    public let inputAdapter: SpatialInput
    public let layers: [ConvLayer]
    public let head: ConvHead

    init(input: ModelInput, output: ModelOutput, depth: Int, channels: [Int], kernel: Int, poolEvery: Int,
         batchNorm: Bool, embedWidth: Int, init p: ParameterInit) throws {
        inputAdapter = try SpatialInput(input, embedWidth: embedWidth, init: p)
        let widths = channels.count == 1 ? Array(repeating: channels[0], count: depth) : channels
        guard widths.count == depth else {
            throw ModelError("cnn", "channels lists \(channels.count) widths for depth \(depth); give one value or one per layer")
        }
        let downsample: Bool
        if case .classes = output { downsample = poolEvery > 0 } else { downsample = false }
        var sizes = inputAdapter.spatialSizes
        var built: [ConvLayer] = []
        var previous = inputAdapter.channels
        for (index, width) in widths.enumerated() {
            let pool = downsample && (index + 1) % poolEvery == 0
            if pool {
                sizes = sizes.map { $0 / 2 }
                guard sizes.allSatisfy({ $0 >= 1 }) else {
                    throw ModelError("cnn", "depth \(depth) with a 2× pool every \(poolEvery) layers shrinks the \(input) below 1 at layer \(index + 1); lower depth or raise pool_every (0 disables pooling)")
                }
            }
            built.append(try ConvLayer(spatialDims: inputAdapter.spatialDims, previous, width, kernel: kernel, batchNorm: batchNorm,
                                       pool: pool, init: p))
            previous = width
        }
        layers = built
        head = try ConvHead(channels: previous, output: output, spatialDims: inputAdapter.spatialDims, family: "cnn", init: p)
        super.init(family: "cnn", input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        var h = try inputAdapter(batch.inputs)
        for (index, layer) in layers.enumerated() { h = try layer(h, taps: taps?.scope("layers.\(index)")) }
        return try head(h, taps: taps?.scope("head"))
    }
}
