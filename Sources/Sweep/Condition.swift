/// What a job compares (method.md §5). Raw values are the manifest and JSON spellings.
public enum Condition: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// The target alone.
    case baseline
    /// Guidance for the whole run.
    case guided
    /// Guidance for the first `GuidanceConfig.initSteps` steps only, then task loss only.
    case guidedInit = "guided-init"
    /// Guidance for the whole run, the guide reading a shuffled copy of each batch (a random n-cycle of its
    /// examples, so no example meets its own guide activations): a control for whether the relation between the
    /// target's and the guide's examples matters.
    case guidedShuffled = "guided-shuffled"
    /// `guidedShuffled` for the first `GuidanceConfig.initSteps` steps only, then task loss only (guided-init's control).
    case guidedShuffledInit = "guided-shuffled-init"
    /// `GuidanceConfig.noiseSteps` steps aligning target to guide on noise inputs, then ordinary training.
    case noiseWarmup = "noise-warmup"
    /// Match the guide's output logits (KL at temperature τ) instead of hidden layers.
    case distill
    /// `distill` for the first `GuidanceConfig.initSteps` steps only, then task loss only (compares with guided-init
    /// at equal K).
    case distillInit = "distill-init"

    /// Whether the condition needs a guide network (every condition but `baseline`).
    public var usesGuide: Bool { self != .baseline }

    /// Whether the condition reads `GuidanceConfig.initSteps` (guidance or distillation for the first K steps only).
    public var readsInitSteps: Bool {
        switch self {
        case .guidedInit, .guidedShuffledInit, .distillInit: true
        case .baseline, .guided, .guidedShuffled, .noiseWarmup, .distill: false
        }
    }

    /// Whether the guide reads a shuffled copy of each training batch.
    public var shufflesGuideBatch: Bool {
        switch self {
        case .guidedShuffled, .guidedShuffledInit: true
        case .baseline, .guided, .guidedInit, .noiseWarmup, .distill, .distillInit: false
        }
    }

    public static func < (lhs: Condition, rhs: Condition) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whether the guide is used as initialized or after its own training job (method.md §1).
public enum GuideState: String, Codable, Hashable, Sendable, CaseIterable, Comparable {
    /// Framework-default random initialization, never trained.
    case untrained
    /// Trained on the same task by its own (baseline) job first; its checkpoint travels as an artifact.
    case trained

    public static func < (lhs: GuideState, rhs: GuideState) -> Bool { lhs == .untrained && rhs == .trained }
}

/// The role a model plays in a job, for `SpecValidator`.
public enum ModelRole: String, Hashable, Sendable {
    case target
    case guide
}
