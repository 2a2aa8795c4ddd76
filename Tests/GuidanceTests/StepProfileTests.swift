import Config
import Guidance
import Sweep
import XCTest

/// `Trainer.Options.profile`: a profiled run records each training step's phases, and profiling changes nothing
/// about the run's outcome.
final class StepProfileTests: XCTestCase {
    private func spec(guided: Bool) -> JobSpec {
        let training = TrainingConfig(steps: 4, batchSize: 32, evalEvery: 100, evalBatches: 1, threads: 1)
        let condition: Condition = guided ? .guided : .baseline
        return JobSpec(task: TaskSpec(name: "mnist1d", options: ["samples": .int(300)]),
                       target: ModelSpec(family: "fcn", options: ["depth": .int(3), "width": .int(16)]),
                       guide: guided ? ModelSpec(family: "cnn", options: ["depth": .int(2), "channels": .array([.int(4)])]) : nil,
                       condition: condition, guideState: guided ? .untrained : nil, seed: 1,
                       training: training.normalized(), guidance: GuidanceConfig().normalized(for: condition))
    }

    func testGuidedStepsRecordEveryPhaseAndProfilingChangesNothing() throws {
        var options = Trainer.Options()
        let profile = StepProfile()
        options.profile = profile
        let profiled = try Trainer(spec: spec(guided: true), options: options).run()
        let plain = try Trainer(spec: spec(guided: true)).run()

        XCTAssertEqual(profile.steps.count, 4, "one entry per training step")
        for step in profile.steps {
            for phase in [StepProfile.Phase.batch, .tensors, .targetForward, .guideForward, .similarity, .backward, .optimizer] {
                XCTAssertNotNil(step[phase], "\(phase) missing")
                XCTAssertGreaterThanOrEqual(step[phase] ?? -1, 0)
            }
        }
        XCTAssertNotNil(profile.steps.last?[.evaluation], "the final evaluation is charged to its own phase")
        XCTAssertEqual(profiled.metrics, plain.metrics, "same seed, same numbers, profiled or not")
    }

    func testUnguidedStepsHaveNoGuidePhases() throws {
        var options = Trainer.Options()
        let profile = StepProfile()
        options.profile = profile
        _ = try Trainer(spec: spec(guided: false), options: options).run()
        XCTAssertEqual(profile.steps.count, 4)
        XCTAssertTrue(profile.steps.allSatisfy { $0[.guideForward] == nil && $0[.similarity] == nil && $0[.backward] != nil })
    }
}
