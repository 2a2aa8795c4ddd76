import Sweep

/// What a condition does, decided in one place (method.md §5): the phase before training and the guidance term each
/// training step adds to the task loss. Every decision is an exhaustive `switch` over `Condition`, so a new condition
/// does not compile until it says what its steps do (it cannot silently train as the baseline).
struct ConditionPlan {
    /// The term a training step adds to its task loss.
    enum Term: Equatable {
        /// Task loss only.
        case none
        /// α·Σ(1 − CKA) between the target's and the guide's taps on the same training batch.
        case alignToGuide
        /// α·Σ(1 − CKA) between the target's taps on the training batch and the guide's taps on a shuffled copy of it
        /// (`GuideShuffle`: row i of the guide's side is another example of the batch).
        case alignToShuffledGuide
        /// α·KL between the target's and the guide's logits at temperature τ.
        case distillLogits

        /// Whether the step needs the target's taps.
        var readsTargetTaps: Bool {
            switch self {
            case .alignToGuide, .alignToShuffledGuide: true
            case .none, .distillLogits: false
            }
        }
    }

    /// The phase before the first training step.
    enum Warmup: Equatable {
        case none
        /// `steps` steps of alignment only, the guide (and in mode `both` the target) reading noise inputs.
        case alignOnNoise(steps: Int)
    }

    let condition: Condition
    let guidance: GuidanceConfig

    init(_ spec: JobSpec) {
        condition = spec.condition
        guidance = spec.guidance
    }

    /// The term of training step `step` (1-based).
    func term(atStep step: Int) -> Term {
        switch condition {
        case .baseline, .noiseWarmup: .none
        case .guided: .alignToGuide
        case .guidedInit: step <= guidance.initSteps ? .alignToGuide : .none
        case .guidedShuffled: .alignToShuffledGuide
        case .guidedShuffledInit: step <= guidance.initSteps ? .alignToShuffledGuide : .none
        case .distill: .distillLogits
        case .distillInit: step <= guidance.initSteps ? .distillLogits : .none
        }
    }

    var warmup: Warmup {
        switch condition {
        case .noiseWarmup: .alignOnNoise(steps: guidance.noiseSteps)
        case .baseline, .guided, .guidedInit, .guidedShuffled, .guidedShuffledInit, .distill, .distillInit: .none
        }
    }

    /// Whether any step aligns hidden layers (so the trainer needs a tap mapping and a similarity measure).
    var alignsLayers: Bool {
        switch condition {
        case .guided, .guidedInit, .guidedShuffled, .guidedShuffledInit, .noiseWarmup: true
        case .baseline, .distill, .distillInit: false
        }
    }

    /// Whether some training step aligns to the guide on training examples (what a guide cache can serve).
    var alignsOnTrainingExamples: Bool {
        switch condition {
        case .guided, .guidedShuffled: true
        case .guidedInit, .guidedShuffledInit: guidance.initSteps > 0
        case .baseline, .noiseWarmup, .distill, .distillInit: false
        }
    }
}
