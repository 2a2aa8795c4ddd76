public import NN
public import Torch

/// Conv (no bias) followed by BatchNorm: the unit ResNets are made of. Taps its conv output as `conv`.
public final class ConvNorm: Module, @unchecked Sendable {
    public let conv: Conv
    public let norm: BatchNorm

    init(_ dims: Int, _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, init p: ParameterInit) throws {
        conv = try Conv(spatialDims: dims, inChannels, outChannels, kernel: kernel, stride: stride, padding: kernel / 2,
                        bias: false, init: p)
        norm = try BatchNorm(outChannels, init: p)
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?, name: String) throws -> Tensor {
        let z = try conv(x)
        taps?.record(name, z)
        return try norm(z)
    }
}

/// A residual block as torchvision's: basic (3×3, 3×3) or bottleneck (1×1, 3×3, 1×1 with 4× expansion), a 1×1
/// projection on the shortcut when the shape changes. Taps in forward order: `conv1`, `conv2`[, `conv3`],
/// `downsample`.
public final class ResidualBlock: Module, @unchecked Sendable {
    public let units: [ConvNorm]
    public let downsample: ConvNorm?

    init(_ dims: Int, _ inChannels: Int, width: Int, stride: Int, bottleneck: Bool, init p: ParameterInit) throws {
        let outChannels = bottleneck ? width * 4 : width
        if bottleneck {
            units = [try ConvNorm(dims, inChannels, width, kernel: 1, init: p),
                     try ConvNorm(dims, width, width, kernel: 3, stride: stride, init: p),
                     try ConvNorm(dims, width, outChannels, kernel: 1, init: p)]
        } else {
            units = [try ConvNorm(dims, inChannels, width, kernel: 3, stride: stride, init: p),
                     try ConvNorm(dims, width, width, kernel: 3, init: p)]
        }
        downsample = stride != 1 || inChannels != outChannels
            ? try ConvNorm(dims, inChannels, outChannels, kernel: 1, stride: stride, init: p) : nil
        super.init()
    }

    var outChannels: Int { units.last!.conv.weight.size(0) }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        var h = x
        for (index, unit) in units.enumerated() {
            h = try unit(h, taps: taps, name: "conv\(index + 1)")
            if index < units.count - 1 { h = try h.relu() }
        }
        let shortcut = try downsample.map { try $0(x, taps: taps, name: "downsample") } ?? x
        return try (h + shortcut).relu()
    }
}

/// Family `resnet`: stem, stages of residual blocks (the first stage at stride 1, each later one halving the
/// resolution and doubling the width), global average pooling and a Linear head, for images (2-D), signals and
/// token embeddings (1-D). `stem: imagenet` is torchvision's 7×7/2 conv + 3×3/2 max pool; `cifar` a 3×3/1 conv.
/// Depth presets: 8 [1,1,1], 10 [1,1,1,1], 14 [2,2,2], 18 [2,2,2,2], 20 [3,3,3], 34 [3,4,6,3], 50 (bottleneck)
/// [3,4,6,3]; `blocks` overrides. Taps: `stem.conv`, every block's convs, `head.pool`.
public final class ResNet: Model, @unchecked Sendable {
    public let inputAdapter: SpatialInput
    public let stem: ConvNorm
    public let stages: [[ResidualBlock]]
    public let head: ConvHead
    let imagenetStem: Bool

    init(input: ModelInput, output: ModelOutput, blocks: [Int], bottleneck: Bool, width: Int, imagenetStem: Bool,
         embedWidth: Int, init p: ParameterInit) throws {
        inputAdapter = try SpatialInput(input, embedWidth: embedWidth, init: p)
        let dims = inputAdapter.spatialDims
        var downsample = true
        if case .classes = output {} else { downsample = false }
        let useImagenetStem = imagenetStem && downsample
        stem = try ConvNorm(dims, inputAdapter.channels, width, kernel: useImagenetStem ? 7 : 3, stride: useImagenetStem ? 2 : 1, init: p)
        self.imagenetStem = useImagenetStem
        var channels = width
        var built: [[ResidualBlock]] = []
        for (stageIndex, count) in blocks.enumerated() {
            let stageWidth = width << stageIndex
            var stage: [ResidualBlock] = []
            for blockIndex in 0..<count {
                let stride = downsample && stageIndex > 0 && blockIndex == 0 ? 2 : 1
                let block = try ResidualBlock(dims, channels, width: stageWidth, stride: stride, bottleneck: bottleneck, init: p)
                channels = block.outChannels
                stage.append(block)
            }
            built.append(stage)
        }
        stages = built
        head = try ConvHead(channels: channels, output: output, spatialDims: dims, family: "resnet", init: p)
        super.init(family: "resnet", input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        var h = try stem(inputAdapter(batch.inputs), taps: taps?.scope("stem"), name: "conv").relu()
        if imagenetStem {
            let k = Array(repeating: 3, count: inputAdapter.spatialDims)
            h = try h.maxPool(kernel: k, stride: k.map { _ in 2 }, padding: k.map { _ in 1 })
        }
        for (s, stage) in stages.enumerated() {
            for (b, block) in stage.enumerated() { h = try block(h, taps: taps?.scope("stages.\(s).\(b)")) }
        }
        return try head(h, taps: taps?.scope("head"))
    }
}
