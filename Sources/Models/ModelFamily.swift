public import Config

/// Every architecture family a guide or target can be, with its fields, defaults and the input/output kinds it serves.
public enum ModelFamily: String, CaseIterable, Sendable {
    case fcn, wideFCN = "wide-fcn", cnn, resnet, rnn, lstm, transformer, mixer

    /// One configurable field of a family, for `guidance archs` and the docs.
    public struct Field: Sendable {
        public let name: String
        public let defaultValue: String
        public let help: String
    }

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
        }
    }

    public var fields: [Field] {
        let embed = Field(name: "embed", defaultValue: "64", help: "embedding width for token inputs")
        switch self {
        case .fcn, .wideFCN:
            let (depth, width) = self == .fcn ? ("8", "256") : ("3", "1024")
            return [Field(name: "depth", defaultValue: depth, help: "number of hidden blocks (taps)"),
                    Field(name: "width", defaultValue: width, help: "units per hidden block"),
                    Field(name: "dropout", defaultValue: "0.0", help: "dropout probability after each block"),
                    Field(name: "batch_norm", defaultValue: "true", help: "BatchNorm after each Linear"), embed]
        case .cnn:
            return [Field(name: "depth", defaultValue: "4", help: "number of conv layers"),
                    Field(name: "channels", defaultValue: "32", help: "width of every layer, or a list with one per layer"),
                    Field(name: "kernel", defaultValue: "3", help: "kernel size, odd (same padding)"),
                    Field(name: "pool_every", defaultValue: "2", help: "2× max pool after every N layers (0: never)"),
                    Field(name: "batch_norm", defaultValue: "true", help: "BatchNorm after each conv"), embed]
        case .resnet:
            return [Field(name: "depth", defaultValue: "8", help: "preset: 8, 10, 14, 18, 20, 34, 50 (bottleneck)"),
                    Field(name: "blocks", defaultValue: "from depth", help: "blocks per stage, e.g. [2, 2, 2, 2]"),
                    Field(name: "bottleneck", defaultValue: "from depth", help: "bottleneck blocks (1×1, 3×3, 1×1, 4× expansion)"),
                    Field(name: "width", defaultValue: "16", help: "channels of the first stage (64 in torchvision)"),
                    Field(name: "stem", defaultValue: "cifar", help: "cifar (3×3/1 conv) or imagenet (7×7/2 conv + max pool)"), embed]
        case .rnn, .lstm:
            return [Field(name: "layers", defaultValue: "2", help: "stacked recurrent layers (one tap each)"),
                    Field(name: "hidden", defaultValue: "128", help: "hidden units per layer"),
                    Field(name: "dropout", defaultValue: "0.0", help: "dropout between layers"), embed]
        case .transformer:
            return [Field(name: "layers", defaultValue: "2", help: "Transformer blocks"),
                    Field(name: "width", defaultValue: "64", help: "model width (embedding size)"),
                    Field(name: "heads", defaultValue: "4", help: "attention heads (must divide width)"),
                    Field(name: "ff", defaultValue: "4×width", help: "feed-forward hidden units"),
                    Field(name: "dropout", defaultValue: "0.1", help: "dropout (PyTorch's default)"),
                    Field(name: "norm_first", defaultValue: "false", help: "pre-LN blocks (post-LN by default)"),
                    Field(name: "activation", defaultValue: "relu", help: "relu or gelu"),
                    Field(name: "positional", defaultValue: "sinusoidal", help: "sinusoidal or learned"),
                    Field(name: "patch", defaultValue: "4", help: "patch size for image and signal inputs")]
        case .mixer:
            return [Field(name: "layers", defaultValue: "2", help: "Mixer blocks"),
                    Field(name: "width", defaultValue: "64", help: "channels per position"),
                    Field(name: "token_hidden", defaultValue: "64", help: "hidden units of the token-mixing MLP"),
                    Field(name: "channel_hidden", defaultValue: "128", help: "hidden units of the channel-mixing MLP"),
                    Field(name: "patch", defaultValue: "4", help: "patch size for image and signal inputs")]
        }
    }

    /// Why this family cannot produce `output` from `input`, or nil when it can.
    public func incompatibility(input: ModelInput, output: ModelOutput) -> String? {
        switch output {
        case .nextToken:
            guard [.rnn, .lstm, .transformer].contains(self) else {
                return "\(rawValue) sees both sides of a position and cannot be a causal next-token model; use rnn, lstm or transformer"
            }
            guard case .tokens = input else { return "next-token outputs need token inputs, got \(input)" }
        case .perToken:
            guard case .tokens = input else { return "per-token outputs need token inputs, got \(input)" }
        case .classes:
            break
        }
        return nil
    }

    /// Parses a family name with a "did you mean" hint.
    public static func named(_ name: String) throws -> ModelFamily {
        if let family = ModelFamily(rawValue: name) { return family }
        throw OptionError(subject: "model", field: "family",
                          reason: "\"\(name)\" is not a known family\(Suggestion.parenthesized(for: name, in: allCases.map(\.rawValue))); known: \(allCases.map(\.rawValue).joined(separator: ", "))")
    }
}
