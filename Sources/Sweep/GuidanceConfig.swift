/// How the guide shapes the target's training (method.md §1–§5). JSON keys snake_case; missing keys
/// take the defaults below.
public struct GuidanceConfig: Codable, Hashable, Sendable, SchemaDescribed {
    /// Representational similarity measure between a target tap and a guide tap.
    public enum Similarity: String, Codable, Hashable, Sendable, CaseIterable {
        case linearCKA = "linear-cka", debiasedCKA = "debiased-cka", rbfCKA = "rbf-cka", rsa
    }

    /// Whether the frozen guide runs in eval mode (dropout off) or train mode (the reference's sequence setting).
    public enum GuideMode: String, Codable, Hashable, Sendable, CaseIterable {
        case eval, train
    }

    /// Which network sees noise during noise warm-up: only the guide (the reference code) or both (paper v2).
    public enum NoiseMode: String, Codable, Hashable, Sendable, CaseIterable {
        case guideOnly = "guide-only", both
    }

    /// Where ε enters a similarity's normaliser (`SimilarityMeasure`): inside the square root, sqrt(v + ε) (ours
    /// since the start: linear CKA = ⟨Kc, Lc⟩ / sqrt(⟨Kc, Kc⟩·⟨Lc, Lc⟩ + ε)), or outside it, sqrt(v) + ε (as
    /// implementations that write ⟨Kc, Lc⟩ / (‖Kc‖·‖Lc‖ + ε) do).
    public enum EpsilonMode: String, Codable, Hashable, Sendable, CaseIterable {
        case insideSqrt = "inside-sqrt", outside
    }

    /// How a pair of taps becomes the examples' rows a similarity compares (method.md §3).
    public enum Readout: String, Codable, Hashable, Sendable, CaseIterable {
        /// Each tap flattened per example (a sequence tap [T, D] to T·D, padding included): the reference's readout.
        case flat
        /// Sequence taps: the similarity at each position t (examples padded at t left out), averaged over positions.
        case tokenMean = "token-mean"
        /// Sequence taps: the terms (1 − similarity) of each position summed (the reference's off-by-default variant).
        case tokenSum = "token-sum"
        /// Sequence taps: one vector per example, the mean over its non-padding positions.
        case pooled
    }

    /// The noise of noise warm-up for image and signal inputs (token inputs always get uniform random ids).
    public enum NoiseDistribution: String, Codable, Hashable, Sendable, CaseIterable {
        /// clamp(N(0,1) + 0.1·N(0,1), 0, 1) per element: the reference's noise, for inputs in [0, 1].
        case clamped
        /// N(0,1) per element: for standardised inputs such as MNIST-1D.
        case normal
    }

    /// Weight of the guidance term: L = L_task + α Σ (1 − sim).
    public var alpha: Double = 1.0
    public var similarity: Similarity = .linearCKA
    /// RBF kernel width as a fraction of the median pairwise distance (rbf-cka only).
    public var rbfSigma: Double = 0.8
    /// Guide-tap → target-tap pairs (method.md §4).
    public var mapping: LayerMapping = .auto
    public var guideMode: GuideMode = .eval
    /// K for guided-init, guided-shuffled-init and distill-init: guidance (distillation) for the first K steps only.
    public var initSteps: Int = 300
    /// K for noise-warmup: K alignment steps on noise before training.
    public var noiseSteps: Int = 300
    public var noiseMode: NoiseMode = .guideOnly
    /// The warm-up's noise: `.clamped` (the default) or `.normal` for a noise-warmup job, nil for every other
    /// condition (`normalized(for:)`), so that only noise-warmup ids carry it: they changed when the warm-up stopped
    /// consuming training batches (a results directory written before cannot resume those records as current).
    /// Read it through `noiseDistribution`.
    public var noise: NoiseDistribution? = nil
    /// Distillation temperature τ (distill only).
    public var temperature: Double = 4.0
    /// Added to the similarity's denominator so a constant layer gives a finite value.
    public var epsilon: Double = 1e-8
    /// Where `epsilon` sits in the denominator (inside the square root: the measure since the start).
    public var epsilonMode: EpsilonMode = .insideSqrt
    /// How taps are read out for the similarity (`.flat`: the reference's).
    public var readout: Readout = .flat
    /// Similarity on the first N examples of each batch only (the target still trains on the whole batch's task
    /// loss); nil: the whole batch.
    public var ckaBatch: Int? = nil

    /// The one description of the knobs (see `TrainingConfig`). The knobs added with issue 14 (`epsilon_mode`,
    /// `readout`, `cka_batch`, `noise`) are written only when set, so every id from before them is unchanged.
    public static let schema = SpecSchema<GuidanceConfig>([
        .double("alpha", \.alpha, .atLeast(0), written: .always, help: "Weight α of the guidance term: L = L_task + α Σ (1 − sim)."),
        .choice("similarity", \.similarity, what: "similarity measure", written: .always,
                help: "Similarity between a target tap and a guide tap."),
        .double("rbf_sigma", \.rbfSigma, .above(0), written: .always,
                help: "RBF kernel width as a fraction of the median pairwise distance (rbf-cka only)."),
        .custom("mapping", \.mapping, kind: "auto or a list of {guide, target} pairs", written: .always,
                help: "Which guide taps guide which target taps (auto: spread evenly, method.md §4).",
                text: { CanonicalJSON.string($0) }, readAxis: { reader, node, path in reader.mappings(node, path) }),
        .choice("guide_mode", \.guideMode, what: "guide mode", written: .always,
                help: "The frozen guide in eval mode (dropout off) or train mode (the reference's sequence setting)."),
        .int("init_steps", \.initSteps, min: 1, written: .always,
             help: "K for guided-init, guided-shuffled-init and distill-init: guidance for the first K steps only."),
        .int("noise_steps", \.noiseSteps, min: 1, written: .always, help: "K for noise-warmup: alignment steps on noise before training."),
        .choice("noise_mode", \.noiseMode, what: "noise mode", written: .always,
                help: "Which network sees noise during noise warm-up: only the guide (the reference) or both (paper v2)."),
        .choice("noise", \.noise, what: "noise", written: .always,
                help: "The warm-up's noise for image and signal inputs: clamped (clamp(N(0,1) + 0.1·N(0,1), 0, 1)) or normal (N(0,1), for standardised inputs); null: clamped. Kept on noise-warmup jobs only."),
        .double("temperature", \.temperature, .above(0), written: .always, help: "Distillation temperature τ (distill only)."),
        .double("epsilon", \.epsilon, .atLeast(0), written: .always,
                help: "ε in the similarity's denominator (a constant layer gives a finite value)."),
        .choice("epsilon_mode", \.epsilonMode, what: "epsilon mode",
                help: "inside-sqrt: ⟨Kc,Lc⟩ / sqrt(⟨Kc,Kc⟩⟨Lc,Lc⟩ + ε); outside: ⟨Kc,Lc⟩ / (‖Kc‖‖Lc‖ + ε)."),
        // Below 3 examples centred linear CKA is 1 whatever the activations (two centred rows are ±d/2).
        .int("cka_batch", \.ckaBatch, min: 3,
             help: "Similarity on the first N examples of each batch (3 ≤ N ≤ batch_size); null: the whole batch."),
        .choice("readout", \.readout, what: "readout",
                help: "How sequence taps are compared: flat (T·D per example), token-mean, token-sum (per-position similarity, padding left out) or pooled (mean over positions)."),
    ])

    public init() {}

    /// Defaults except where given (a convenience for code and tests; any knob can also be set as a property).
    public init(
        alpha: Double? = nil, similarity: Similarity? = nil, rbfSigma: Double? = nil, mapping: LayerMapping? = nil,
        guideMode: GuideMode? = nil, initSteps: Int? = nil, noiseSteps: Int? = nil, noiseMode: NoiseMode? = nil,
        noise: NoiseDistribution? = nil, temperature: Double? = nil, epsilon: Double? = nil,
        epsilonMode: EpsilonMode? = nil, ckaBatch: Int? = nil, readout: Readout? = nil
    ) {
        if let alpha { self.alpha = alpha }
        if let similarity { self.similarity = similarity }
        if let rbfSigma { self.rbfSigma = rbfSigma }
        if let mapping { self.mapping = mapping }
        if let guideMode { self.guideMode = guideMode }
        if let initSteps { self.initSteps = initSteps }
        if let noiseSteps { self.noiseSteps = noiseSteps }
        if let noiseMode { self.noiseMode = noiseMode }
        self.noise = noise
        if let temperature { self.temperature = temperature }
        if let epsilon { self.epsilon = epsilon }
        if let epsilonMode { self.epsilonMode = epsilonMode }
        self.ckaBatch = ckaBatch
        if let readout { self.readout = readout }
    }

    /// The settings with every knob `condition` never reads reset to its default, so that sweeping,
    /// say, `init_steps` does not multiply `guided` jobs. A baseline gets all defaults.
    public func normalized(for condition: Condition) -> GuidanceConfig {
        let defaults = GuidanceConfig()
        var copy = self
        switch condition {
        case .baseline:
            return defaults
        case .distill, .distillInit:
            copy.similarity = defaults.similarity
            copy.mapping = defaults.mapping
            copy.epsilon = defaults.epsilon
            copy.epsilonMode = defaults.epsilonMode
            copy.ckaBatch = defaults.ckaBatch
            copy.readout = defaults.readout
        case .guided, .guidedInit, .guidedShuffled, .guidedShuffledInit, .noiseWarmup:
            copy.temperature = defaults.temperature
        }
        if !condition.readsInitSteps { copy.initSteps = defaults.initSteps }
        if condition == .noiseWarmup {
            copy.noise = noiseDistribution
        } else {
            copy.noiseSteps = defaults.noiseSteps
            copy.noiseMode = defaults.noiseMode
            copy.noise = nil
        }
        if copy.similarity != .rbfCKA { copy.rbfSigma = defaults.rbfSigma }
        return copy
    }

    /// The noise a warm-up draws: `noise`, or `.clamped` when unset.
    public var noiseDistribution: NoiseDistribution { noise ?? .clamped }
}

/// Which guide taps guide which target taps.
public enum LayerMapping: Hashable, Sendable {
    /// Spread guide taps evenly over target taps (method.md §4).
    case auto
    /// Explicit pairs, in order.
    case explicit([LayerPair])
}

/// One explicit guide → target pair; each side a tap name (`block3.linear`) or a tap index.
public struct LayerPair: Codable, Hashable, Sendable {
    public var guide: TapRef
    public var target: TapRef

    public init(guide: TapRef, target: TapRef) {
        self.guide = guide
        self.target = target
    }
}

/// A tap by name or by 0-based index in forward order (head excluded).
public enum TapRef: Hashable, Sendable {
    case name(String)
    case index(Int)
}
