/// How the guide shapes the target's training (method.md §1–§5). JSON keys snake_case; missing keys
/// take the defaults below.
public struct GuidanceConfig: Codable, Hashable, Sendable {
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

    /// Weight of the guidance term: L = L_task + α Σ (1 − sim). Default 1.0.
    public var alpha: Double
    /// Default linear CKA.
    public var similarity: Similarity
    /// RBF kernel width as a fraction of the median pairwise distance (rbf-cka only). Default 0.8.
    public var rbfSigma: Double
    /// Guide-tap → target-tap pairs. Default `.auto` (method.md §4).
    public var mapping: LayerMapping
    /// Default eval.
    public var guideMode: GuideMode
    /// K for guided-init, guided-shuffled-init and distill-init: guidance (distillation) for the first K steps only.
    /// Default 300.
    public var initSteps: Int
    /// K for noise-warmup: K alignment steps on noise before training. Default 300.
    public var noiseSteps: Int
    /// Default guide-only.
    public var noiseMode: NoiseMode
    /// The warm-up's noise: `.clamped` (the default) or `.normal` for a noise-warmup job, nil for every other
    /// condition (`normalized(for:)`), so that only noise-warmup ids carry it: they changed when the warm-up stopped
    /// consuming training batches (a results directory written before cannot resume those records as current).
    /// Read it through `noiseDistribution`.
    public var noise: NoiseDistribution?
    /// Distillation temperature τ (distill only). Default 4.0.
    public var temperature: Double
    /// Added to the similarity's denominator so a constant layer gives a finite value. Default 1e-8.
    public var epsilon: Double
    /// Where `epsilon` sits in the denominator. Default inside the square root (today's measure).
    public var epsilonMode: EpsilonMode
    /// How taps are read out for the similarity. Default `.flat` (today's).
    public var readout: Readout
    /// Similarity on the first N examples of each batch only (the target still trains on the whole batch's task
    /// loss); nil (the default): the whole batch.
    public var ckaBatch: Int?

    public init(
        alpha: Double = 1.0, similarity: Similarity = .linearCKA, rbfSigma: Double = 0.8,
        mapping: LayerMapping = .auto, guideMode: GuideMode = .eval, initSteps: Int = 300, noiseSteps: Int = 300,
        noiseMode: NoiseMode = .guideOnly, noise: NoiseDistribution? = nil, temperature: Double = 4.0,
        epsilon: Double = 1e-8, epsilonMode: EpsilonMode = .insideSqrt, ckaBatch: Int? = nil, readout: Readout = .flat
    ) {
        self.alpha = alpha
        self.similarity = similarity
        self.rbfSigma = rbfSigma
        self.mapping = mapping
        self.guideMode = guideMode
        self.initSteps = initSteps
        self.noiseSteps = noiseSteps
        self.noiseMode = noiseMode
        self.noise = noise
        self.temperature = temperature
        self.epsilon = epsilon
        self.epsilonMode = epsilonMode
        self.ckaBatch = ckaBatch
        self.readout = readout
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

    enum CodingKeys: String, CodingKey {
        case alpha, similarity, rbfSigma = "rbf_sigma", mapping, guideMode = "guide_mode", initSteps = "init_steps"
        case noiseSteps = "noise_steps", noiseMode = "noise_mode", noise, temperature, epsilon
        case epsilonMode = "epsilon_mode", ckaBatch = "cka_batch", readout
    }
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
