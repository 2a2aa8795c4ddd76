@testable import Guidance
import Sweep
import XCTest

/// Every condition says what its steps do, in one place (`ConditionPlan`), and the plan matches method.md §5.
final class ConditionPlanTests: XCTestCase {
    private func plan(_ condition: Condition, initSteps: Int = 3, noiseSteps: Int = 5) -> ConditionPlan {
        var guidance = GuidanceConfig()
        guidance.initSteps = initSteps
        guidance.noiseSteps = noiseSteps
        return ConditionPlan(JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "fcn"),
                                     guide: condition.usesGuide ? ModelSpec(family: "cnn") : nil, condition: condition,
                                     guideState: condition.usesGuide ? .untrained : nil, guidance: guidance))
    }

    func testEachConditionsStepsAndWarmup() {
        for condition in Condition.allCases {
            let p = plan(condition)
            let terms = (1...5).map { p.term(atStep: $0) }
            switch condition {
            case .baseline:
                XCTAssertEqual(terms, Array(repeating: .none, count: 5))
                XCTAssertEqual(p.warmup, .none)
                XCTAssertFalse(p.alignsLayers)
            case .guided:
                XCTAssertEqual(terms, Array(repeating: .alignToGuide, count: 5))
                XCTAssertTrue(p.alignsOnTrainingExamples)
            case .guidedInit:
                XCTAssertEqual(terms, [.alignToGuide, .alignToGuide, .alignToGuide, .none, .none])
                XCTAssertTrue(p.alignsOnTrainingExamples)
                XCTAssertFalse(plan(condition, initSteps: 0).alignsOnTrainingExamples)
            case .guidedShuffled:
                XCTAssertEqual(terms, Array(repeating: .alignToShuffledGuide, count: 5))
                XCTAssertTrue(p.alignsOnTrainingExamples)
            case .guidedShuffledInit:
                XCTAssertEqual(terms, [.alignToShuffledGuide, .alignToShuffledGuide, .alignToShuffledGuide, .none, .none])
                XCTAssertTrue(p.alignsOnTrainingExamples)
                XCTAssertFalse(plan(condition, initSteps: 0).alignsOnTrainingExamples)
            case .noiseWarmup:
                XCTAssertEqual(terms, Array(repeating: .none, count: 5))
                XCTAssertEqual(p.warmup, .alignOnNoise(steps: 5))
                XCTAssertTrue(p.alignsLayers)
                XCTAssertFalse(p.alignsOnTrainingExamples)
            case .distill:
                XCTAssertEqual(terms, Array(repeating: .distillLogits, count: 5))
                XCTAssertFalse(p.alignsLayers)
            case .distillInit:
                XCTAssertEqual(terms, [.distillLogits, .distillLogits, .distillLogits, .none, .none])
                XCTAssertFalse(p.alignsLayers)
                XCTAssertFalse(p.alignsOnTrainingExamples)
            }
            // Only the baseline adds nothing at any step or before: every other condition must do something.
            let doesSomething = terms.contains { $0 != .none } || p.warmup != .none
            XCTAssertEqual(doesSomething, condition != .baseline, condition.rawValue)
        }
    }
}
