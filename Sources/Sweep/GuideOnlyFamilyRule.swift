public import ModelSchema

extension ModelFamily {
    /// Why a guide-only family (`input`: no parameters, no logits) cannot take `role` in a manifest with these
    /// conditions and guide states; empty when it can (or when the family is not guide-only). The one statement of
    /// the rule, used by both manifest validators (the coordinator product's and the full product's).
    public func guideOnlyProblems(role: ModelRole, conditions: [Condition], guideStates: [GuideState]) -> [String] {
        guard isGuideOnly else { return [] }
        switch role {
        case .target:
            return ["family \(rawValue) can only be a guide (it has no parameters to train); move it to guides"]
        case .guide:
            var problems: [String] = []
            if conditions.contains(where: \.usesGuide), guideStates.contains(.trained) {
                problems.append("guide_states includes trained, but family \(rawValue) has no parameters to train; use guide_states: [untrained] (a separate manifest for trained guides)")
            }
            if let distill = conditions.first(where: { $0 == .distill || $0 == .distillInit }) {
                problems.append("conditions include \(distill.rawValue), but family \(rawValue) has no logits to distil from; drop \(distill.rawValue) or this guide")
            }
            return problems
        }
    }
}
