import ModelSchema
import Sweep
import XCTest

/// The guide-only rule is stated once (`ModelFamily.guideOnlyProblems`) for both products' manifest checks.
final class GuideOnlyFamilyRuleTests: XCTestCase {
    func testTheInputGuideIsRefusedWhereItHasNothingToGive() {
        let input = ModelFamily.input
        XCTAssertEqual(input.guideOnlyProblems(role: .target, conditions: [.baseline], guideStates: [.untrained]).count, 1)
        XCTAssertEqual(input.guideOnlyProblems(role: .guide, conditions: [.guided], guideStates: [.untrained]), [])
        let trained = input.guideOnlyProblems(role: .guide, conditions: [.guided], guideStates: [.trained])
        XCTAssertTrue(trained.first?.contains("guide_states: [untrained]") == true, "\(trained)")
        for distill in [Condition.distill, .distillInit] {
            let problems = input.guideOnlyProblems(role: .guide, conditions: [.baseline, distill], guideStates: [.untrained])
            XCTAssertTrue(problems.first?.contains("conditions include \(distill.rawValue)") == true, "\(problems)")
        }
    }

    func testAFamilyWithParametersHasNoGuideOnlyProblems() {
        for family in ModelFamily.allCases where !family.isGuideOnly {
            XCTAssertEqual(family.guideOnlyProblems(role: .target, conditions: Condition.allCases, guideStates: [.trained]), [])
        }
    }
}
