public import NN
public import Torch

/// One hidden block of a fully connected net: Linear → BatchNorm → ReLU → Dropout (the paper's deep-FCN block).
public final class DenseBlock: Module, @unchecked Sendable {
    public let linear: Linear
    public let norm: BatchNorm?
    public let dropout: Dropout

    init(_ inFeatures: Int, _ outFeatures: Int, batchNorm: Bool, dropout p: Double, init pi: ParameterInit) throws {
        linear = try Linear(inFeatures, outFeatures, init: pi)
        norm = batchNorm ? try BatchNorm(outFeatures, init: pi) : nil
        dropout = try Dropout(p)
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        let z = try linear(x)
        taps?.record("linear", z)
        let normalized = try norm.map { try $0(z) } ?? z
        return try dropout(normalized.relu())
    }
}

/// Families `fcn` (deep) and `wide-fcn` (shallow and wide): the input flattened (token ids embedded first), then
/// `depth` DenseBlocks of `width`, then a Linear head. Per-token outputs come from one head of length·vocabulary.
/// Taps: `blocks.i.linear` (pre-BatchNorm), one per block.
public final class FullyConnectedModel: Model, @unchecked Sendable {
    public let embedding: Embedding?
    public let blocks: [DenseBlock]
    public let head: Linear

    init(family: String, input: ModelInput, output: ModelOutput, depth: Int, width: Int, batchNorm: Bool, dropout: Double,
         embedWidth: Int, init p: ParameterInit) throws {
        let features: Int
        switch input {
        case .image(let c, let h, let w): features = c * h * w; embedding = nil
        case .signal(let c, let l): features = c * l; embedding = nil
        case .tokens(let l, let v): features = l * embedWidth; embedding = try Embedding(v, embedWidth, init: p)
        }
        blocks = try (0..<depth).map { try DenseBlock($0 == 0 ? features : width, width, batchNorm: batchNorm, dropout: dropout, init: p) }
        let outputs: Int
        switch (output, input) {
        case (.classes(let k), _): outputs = k
        case (.perToken(let v), .tokens(let l, _)): outputs = l * v
        default: throw ModelError(family, "cannot produce \(output) from \(input)")
        }
        head = try Linear(depth == 0 ? features : width, outputs, init: p)
        super.init(family: family, input: input, output: output)
    }

    public override func forward(_ batch: ModelBatch, taps: TapScope?) throws -> Tensor {
        let n = batch.inputs.size(0)
        var h = try embedding.map { try $0(batch.inputs) } ?? batch.inputs
        h = try h.reshape([n, -1])
        for (index, block) in blocks.enumerated() { h = try block(h, taps: taps?.scope("blocks.\(index)")) }
        let logits = try head(h)
        if case .perToken(let v) = output { return try logits.reshape([n, -1, v]) }
        return logits
    }
}
