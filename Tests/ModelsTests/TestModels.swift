import Config
import Models
import ModelSchema
import NN
import Torch

/// Small configurations of every family and the input/output kinds the tests build them for.
enum TestModels {
    static let image = ModelInput.image(channels: 1, height: 8, width: 8)
    static let signal = ModelInput.signal(channels: 1, length: 40)
    static let tokens = ModelInput.tokens(length: 12, vocabulary: 11)
    static let inputs = [image, signal, tokens]
    static let outputs: [ModelOutput] = [.classes(5), .perToken(11), .nextToken(11)]

    /// Options that keep each family tiny (and deterministic: no dropout).
    static func options(_ family: ModelFamily) -> [String: ConfigValue] {
        switch family {
        case .fcn: ["depth": 3, "width": 16, "embed": 4]
        case .wideFCN: ["depth": 1, "width": 48, "embed": 4]
        case .cnn: ["depth": 3, "channels": 6, "embed": 4]
        case .resnet: ["depth": 8, "width": 4, "embed": 4]
        case .rnn, .lstm: ["layers": 2, "hidden": 12, "embed": 4]
        case .transformer: ["layers": 2, "width": 8, "heads": 2, "ff": 16, "dropout": 0.0]
        case .mixer: ["layers": 2, "width": 8, "token_hidden": 8, "channel_hidden": 16]
        }
    }

    static func build(_ family: ModelFamily, _ input: ModelInput, _ output: ModelOutput,
                      options extra: [String: ConfigValue] = [:], seed: UInt64 = 0) throws -> Model {
        try ModelBuilder.build(family: family.rawValue, options: options(family).merging(extra) { $1 }, input: input,
                               output: output, init: ParameterInit(seed: seed))
    }

    /// `n` random examples of `input` (token ids uniform over the vocabulary).
    static func batch(_ input: ModelInput, _ n: Int, seed: UInt64 = 1) throws -> ModelBatch {
        let generator = Generator(seed: seed)
        if case .tokens(_, let vocabulary) = input {
            return ModelBatch(inputs: try Tensor.randint(0, vocabulary, input.batchShape(n), generator: generator))
        }
        return ModelBatch(inputs: try Tensor.randn(input.batchShape(n), generator: generator))
    }

    /// The shape logits must have for `n` examples.
    static func logitShape(_ input: ModelInput, _ output: ModelOutput, _ n: Int) -> [Int] {
        switch (output, input) {
        case (.classes(let k), _): [n, k]
        case (.perToken(let v), .tokens(let t, _)), (.nextToken(let v), .tokens(let t, _)): [n, t, v]
        default: []
        }
    }

    static func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
        try zip(a.doubles(), b.doubles()).map { Swift.abs($0 - $1) }.max() ?? 0
    }
}
