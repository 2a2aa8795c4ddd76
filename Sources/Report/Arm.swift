public import Sweep

/// One side of a comparison: a condition and, for conditions with a guide, the guide's state.
public struct Arm: Codable, Hashable, Sendable, CustomStringConvertible {
    public var condition: Condition
    /// nil exactly for `.baseline`.
    public var guideState: GuideState?

    public init(_ condition: Condition, _ guideState: GuideState? = nil) {
        self.condition = condition
        self.guideState = condition == .baseline ? nil : guideState
    }

    /// The target trained alone.
    public static let baseline = Arm(.baseline)

    /// `guided (trained guide)`, `baseline`.
    public var description: String {
        guard let guideState else { return condition.rawValue }
        return "\(condition.rawValue) (\(guideState.rawValue) guide)"
    }

    enum CodingKeys: String, CodingKey { case condition, guideState = "guide_state" }
}

/// What a matrix compares: each cell is treatment − reference for one (guide, target), paired by seed.
public struct Comparison: Codable, Hashable, Sendable, CustomStringConvertible {
    public var treatment: Arm
    public var reference: Arm

    public init(treatment: Arm, reference: Arm) {
        self.treatment = treatment
        self.reference = reference
    }

    /// The guidability matrix: `condition`/`state` against the target's own baseline.
    public static func guidability(_ condition: Condition, _ state: GuideState) -> Comparison {
        Comparison(treatment: Arm(condition, state), reference: .baseline)
    }

    /// Whether this compares against the unguided target (cells are then "improvement over baseline").
    public var isGuidability: Bool { reference == .baseline }

    /// `guided (trained guide) vs baseline`.
    public var description: String { "\(treatment) vs \(reference)" }
}
