public import Config
public import ModelSchema
public import NN

/// Builds a model from a family name and its options (`{depth: 8, width: 256}`) for a task's input and output kinds.
///
/// `validate` checks everything that can be known without allocating parameters (unknown fields, ranges, heads
/// dividing the width, pooling deeper than the input, input/output compatibility), so a sweep can be validated
/// before anything runs; `build` then creates the parameters.
public enum ModelBuilder {
    /// Throws an `OptionError` or `ModelError` describing the first problem.
    public static func validate(family name: String, options: [String: ConfigValue], input: ModelInput,
                                output: ModelOutput) throws {
        _ = try plan(family: name, options: options, input: input, output: output)
    }

    /// A model with freshly initialised parameters drawn from `init`'s generator: PyTorch's default rules, then, when
    /// the options ask for another `init` scheme, its weights re-drawn under it (`Module.reinitialize`).
    public static func build(family name: String, options: [String: ConfigValue], input: ModelInput, output: ModelOutput,
                             init p: ParameterInit) throws -> Model {
        try plan(family: name, options: options, input: input, output: output)(p)
    }

    /// Parses and checks the options; returns the constructor to run.
    static func plan(family name: String, options: [String: ConfigValue], input: ModelInput,
                     output: ModelOutput) throws -> (ParameterInit) throws -> Model {
        let family = try ModelFamily.named(name)
        if let reason = family.incompatibility(input: input, output: output) { throw ModelError(name, reason) }
        var r = OptionReader(options, subject: "model \(name)")
        // Token embedding width; transformer and mixer embed into their own `width`, so they do not accept it.
        let embed = try [.transformer, .mixer, .input].contains(family) ? 0 : r.int("embed", default: family.field("embed").int, range: 1...65536)
        if family == .input, options["init"] != nil {
            throw r.error("init", "does not apply: the input family has no weights (it has no Linear, Conv, recurrent or attention layer); leave init out")
        }
        let scheme = try family == .input ? .pytorch
            : InitScheme(rawValue: r.choice("init", default: family.field("init").string, allowed: ModelFamily.initSchemes))!
        var constructor: (ParameterInit) throws -> Model
        switch family {
        case .fcn, .wideFCN:
            let depth = try r.int("depth", default: family.field("depth").int, range: 0...4096)
            let width = try r.int("width", default: family.field("width").int, range: 1...1 << 20)
            let dropout = try r.double("dropout", default: family.field("dropout").double, range: 0...0.99)
            let batchNorm = try r.bool("batch_norm", default: family.field("batch_norm").bool)
            constructor = {
                try FullyConnectedModel(family: name, input: input, output: output, depth: depth, width: width,
                                        batchNorm: batchNorm, dropout: dropout, embedWidth: embed, init: $0)
            }
        case .cnn:
            let depth = try r.int("depth", default: family.field("depth").int, range: 1...1024)
            let channels = try r.ints("channels", default: [family.field("channels").int], range: 1...65536)
            let kernel = try r.int("kernel", default: family.field("kernel").int, range: 1...63)
            // Same padding (kernel/2 each side) keeps the size only for odd kernels; per-token outputs rely on it.
            guard kernel % 2 == 1 else { throw r.error("kernel", "must be odd so that same padding keeps the size, got \(kernel)") }
            let poolEvery = try r.int("pool_every", default: family.field("pool_every").int, range: 0...1024)
            let batchNorm = try r.bool("batch_norm", default: family.field("batch_norm").bool)
            guard channels.count == 1 || channels.count == depth else {
                throw r.error("channels", "lists \(channels.count) widths for depth \(depth); give one value or one per layer")
            }
            try checkPooling(input: input, output: output, depth: depth, poolEvery: poolEvery)
            constructor = {
                try PlainCNN(input: input, output: output, depth: depth, channels: channels, kernel: kernel, poolEvery: poolEvery,
                             batchNorm: batchNorm, embedWidth: embed, init: $0)
            }
        case .resnet:
            let depth = try r.int("depth", default: family.field("depth").int, range: 1...1000)
            let preset = ModelFamily.resnetPresets[depth]
            let explicitBlocks = try r.ints("blocks", default: [], range: 1...256)
            guard preset != nil || !explicitBlocks.isEmpty else {
                throw r.error("depth", "\(depth) is not a preset (\(ModelFamily.resnetPresets.keys.sorted().map(String.init).joined(separator: ", "))); give blocks per stage instead")
            }
            let blocks = explicitBlocks.isEmpty ? preset!.blocks : explicitBlocks
            let bottleneck = try r.bool("bottleneck", default: preset?.bottleneck ?? false)
            let width = try r.int("width", default: family.field("width").int, range: 1...4096)
            let stem = try r.choice("stem", default: family.field("stem").string, allowed: ["cifar", "imagenet"])
            constructor = {
                try ResNet(input: input, output: output, blocks: blocks, bottleneck: bottleneck, width: width,
                           imagenetStem: stem == "imagenet", embedWidth: embed, init: $0)
            }
        case .rnn, .lstm:
            let layers = try r.int("layers", default: family.field("layers").int, range: 1...64)
            let hidden = try r.int("hidden", default: family.field("hidden").int, range: 1...65536)
            let dropout = try r.double("dropout", default: family.field("dropout").double, range: 0...0.99)
            constructor = {
                try RecurrentModel(family: name, cell: family == .lstm ? .lstm : .tanh, input: input, output: output,
                                   layers: layers, hidden: hidden, embedWidth: embed, dropout: dropout, init: $0)
            }
        case .transformer:
            let layers = try r.int("layers", default: family.field("layers").int, range: 1...256)
            let width = try r.int("width", default: family.field("width").int, range: 1...65536)
            let heads = try r.int("heads", default: family.field("heads").int, range: 1...1024)
            let ff = try r.int("ff", default: 4 * width, range: 1...1 << 20)
            let dropout = try r.double("dropout", default: family.field("dropout").double, range: 0...0.99)
            let normFirst = try r.bool("norm_first", default: family.field("norm_first").bool)
            let activation = try r.choice("activation", default: family.field("activation").string, allowed: ["relu", "gelu"])
            let positional = try r.choice("positional", default: family.field("positional").string, allowed: PositionalEncoding.Kind.allCases.map(\.rawValue))
            let patch = try r.int("patch", default: family.field("patch").int, range: 1...4096)
            let causal = try r.bool("causal", default: family.field("causal").bool)
            guard width % heads == 0 else { throw r.error("heads", "(\(heads)) must divide width (\(width))") }
            try checkPatch(input: input, patch: patch, family: name)
            constructor = {
                try TransformerModel(input: input, output: output, layers: layers, width: width, heads: heads, feedForward: ff,
                                     dropout: dropout, normFirst: normFirst, gelu: activation == "gelu",
                                     positional: PositionalEncoding.Kind(rawValue: positional)!, patch: patch, causal: causal,
                                     init: $0)
            }
        case .mixer:
            let layers = try r.int("layers", default: family.field("layers").int, range: 1...256)
            let width = try r.int("width", default: family.field("width").int, range: 1...65536)
            let tokenHidden = try r.int("token_hidden", default: family.field("token_hidden").int, range: 1...65536)
            let channelHidden = try r.int("channel_hidden", default: family.field("channel_hidden").int, range: 1...65536)
            let patch = try r.int("patch", default: family.field("patch").int, range: 1...4096)
            try checkPatch(input: input, patch: patch, family: name)
            constructor = {
                try MLPMixer(input: input, output: output, layers: layers, width: width, tokenHidden: tokenHidden,
                             channelHidden: channelHidden, patch: patch, init: $0)
            }
        case .input:
            let taps = try r.int("taps", default: family.field("taps").int, range: 1...4096)
            constructor = { _ in InputModel(input: input, output: output, taps: taps) }
        }
        try r.finish()
        if scheme != .pytorch {
            let build = constructor
            constructor = { p in
                let model = try build(p)
                guard try model.reinitialize(scheme, using: p) > 0 else {
                    throw ModelError(name, "init \(scheme.rawValue) does not apply: the model has no Linear, Conv, recurrent or attention weights")
                }
                return model
            }
        }
        return constructor
    }

    static func checkPooling(input: ModelInput, output: ModelOutput, depth: Int, poolEvery: Int) throws {
        guard case .classes = output, poolEvery > 0 else { return }
        let pools = depth / poolEvery
        let smallest: Int
        switch input {
        case .image(_, let h, let w): smallest = Swift.min(h, w)
        case .signal(_, let l): smallest = l
        case .tokens(let l, _): smallest = l
        }
        guard smallest >> pools >= 1 else {
            throw ModelError("cnn", "depth \(depth) pools \(pools) times (every \(poolEvery) layers), but the \(input) allows at most \(Int.bitWidth - 1 - smallest.leadingZeroBitCount); lower depth or raise pool_every (0 disables pooling)")
        }
    }

    static func checkPatch(input: ModelInput, patch: Int, family: String) throws {
        switch input {
        case .image(_, let h, let w) where patch > Swift.min(h, w):
            throw ModelError(family, "patch \(patch) is larger than the image (\(h)×\(w))")
        case .signal(_, let l) where patch > l:
            throw ModelError(family, "patch \(patch) is longer than the signal (\(l))")
        default: break
        }
    }
}
