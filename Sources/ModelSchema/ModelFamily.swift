public import Config

/// Every architecture family a guide or target can be, with its fields and their defaults: the one place the defaults
/// are written. `ModelBuilder` (in `Models`) reads them from here, `guidance archs` lists them, and the plan drops
/// options equal to them before hashing a job (`ModelSpec.normalized`), so `{family: fcn}` and `{family: fcn,
/// depth: 8}` are the same job. Torch-free, so a coordinator can plan without libtorch.
public enum ModelFamily: String, CaseIterable, Sendable {
    case fcn, wideFCN = "wide-fcn", cnn, resnet, rnn, lstm, transformer, mixer, input

    public typealias Field = ModelField

    public var summary: String {
        switch self {
        case .fcn: "deep fully connected net: Linear→BatchNorm→ReLU→Dropout blocks (the paper's untrainable deep FCN)"
        case .wideFCN: "shallow, wide fully connected net (same blocks, few and wide)"
        case .cnn: "plain deep ConvNet without skip connections: Conv→BatchNorm→ReLU, periodic max pooling"
        case .resnet: "residual ConvNet (torchvision-style basic or bottleneck blocks)"
        case .rnn: "vanilla Elman RNN (tanh), stacked layers"
        case .lstm: "LSTM, stacked layers"
        case .transformer: "Transformer encoder (or decoder-only for next-token outputs); patches for images and signals"
        case .mixer: "MLP-Mixer: token-mixing and channel-mixing MLPs over patches"
        case .input: "guide only, no parameters: every tap is the input itself, flattened per example (a control)"
        }
    }

    public var fields: [Field] {
        let embed = Field("embed", 64, "embedding width for token inputs")
        let initScheme = Field("init", "pytorch", "weight initialisation: \(Self.initSchemes.joined(separator: ", ")) (Linear/Conv/recurrent/attention weights; biases zero unless pytorch)")
        switch self {
        case .fcn, .wideFCN:
            return [Field("depth", self == .fcn ? 8 : 3, "number of hidden blocks (taps)"),
                    Field("width", self == .fcn ? 256 : 1024, "units per hidden block"),
                    Field("dropout", 0.0, "dropout probability after each block"),
                    Field("batch_norm", true, "BatchNorm after each Linear"), embed, initScheme]
        case .cnn:
            return [Field("depth", 4, "number of conv layers"),
                    Field("channels", 32, "width of every layer, or a list with one per layer"),
                    Field("kernel", 3, "kernel size, odd (same padding)"),
                    Field("pool_every", 2, "2× max pool after every N layers (0: never)"),
                    Field("batch_norm", true, "BatchNorm after each conv"), embed, initScheme]
        case .resnet:
            return [Field("depth", 8, "preset: \(Self.resnetPresets.keys.sorted().map(String.init).joined(separator: ", ")) (50: bottleneck)"),
                    Field("blocks", derived: "from depth", "blocks per stage, e.g. [2, 2, 2, 2]"),
                    Field("bottleneck", derived: "from depth", "bottleneck blocks (1×1, 3×3, 1×1, 4× expansion)"),
                    Field("width", 16, "channels of the first stage (64 in torchvision)"),
                    Field("stem", "cifar", "cifar (3×3/1 conv) or imagenet (7×7/2 conv + max pool)"), embed, initScheme]
        case .rnn, .lstm:
            return [Field("layers", 2, "stacked recurrent layers (one tap each)"),
                    Field("hidden", 128, "hidden units per layer"),
                    Field("dropout", 0.0, "dropout between layers"), embed, initScheme]
        case .transformer:
            return [Field("layers", 2, "Transformer blocks"),
                    Field("width", 64, "model width (embedding size)"),
                    Field("heads", 4, "attention heads (must divide width)"),
                    Field("ff", derived: "4×width", "feed-forward hidden units"),
                    Field("dropout", 0.1, "dropout (PyTorch's default)"),
                    Field("norm_first", false, "pre-LN blocks (post-LN by default)"),
                    Field("activation", "relu", "relu or gelu"),
                    Field("positional", "sinusoidal", "sinusoidal or learned"),
                    Field("patch", 4, "patch size for image and signal inputs"),
                    Field("causal", false, "causal attention (each position attends to itself and earlier ones: per-token encoders); always on for next-token outputs"),
                    initScheme]
        case .mixer:
            return [Field("layers", 2, "Mixer blocks"),
                    Field("width", 64, "channels per position"),
                    Field("token_hidden", 64, "hidden units of the token-mixing MLP"),
                    Field("channel_hidden", 128, "hidden units of the channel-mixing MLP"),
                    Field("patch", 4, "patch size for image and signal inputs"), initScheme]
        case .input:
            return [Field("taps", 1, "identical taps (each the flattened input); ≥ the target's tap count aligns every target tap under mapping auto")]
        }
    }

    /// The values of the `init` field (`InitScheme` in `NN`; the first is the default).
    public static let initSchemes = ["pytorch", "kaiming", "xavier", "orthogonal"]

    /// Whether the family can only be a guide (it has no parameters to train).
    public var isGuideOnly: Bool { self == .input }

    /// The field called `name`; traps if the family has none (a programming error in the builder).
    public func field(_ name: String) -> Field {
        guard let field = fields.first(where: { $0.name == name }) else { preconditionFailure("\(rawValue) has no field \(name)") }
        return field
    }

    /// ResNet depth presets: blocks per stage and whether the blocks are bottlenecks (torchvision's for 18/34/50).
    public static let resnetPresets: [Int: (blocks: [Int], bottleneck: Bool)] = [
        8: ([1, 1, 1], false), 10: ([1, 1, 1, 1], false), 14: ([2, 2, 2], false), 18: ([2, 2, 2, 2], false),
        20: ([3, 3, 3], false), 34: ([3, 4, 6, 3], false), 50: ([3, 4, 6, 3], true),
    ]

    /// Parses a family name with a "did you mean" hint.
    public static func named(_ name: String) throws -> ModelFamily {
        if let family = ModelFamily(rawValue: name) { return family }
        throw OptionError(subject: "model", field: "family",
                          reason: "\"\(name)\" is not a known family\(Suggestion.parenthesized(for: name, in: allCases.map(\.rawValue))); known: \(allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
