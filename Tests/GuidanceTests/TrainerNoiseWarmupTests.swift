@testable import Guidance
import Sweep
import XCTest

/// noise-warmup (method.md §5): K alignment steps on noise inputs, then ordinary training, in both noise modes.
final class TrainerNoiseWarmupTests: XCTestCase {
    func testRunsKNoiseStepsThenTrainsInBothModes() throws {
        let k = 5, steps = 6
        var finalTargets: [GuidanceConfig.NoiseMode: [String: [Double]]] = [:]
        for mode in GuidanceConfig.NoiseMode.allCases {
            let log = ProgressLog()
            let spec = TinyJob.spec(condition: .noiseWarmup, steps: steps, evalEvery: 3,
                                    guidance: GuidanceConfig(noiseSteps: k, noiseMode: mode))
            let trainer = try Trainer(spec: spec, options: log.options())
            let outcome = try trainer.run()
            XCTAssertEqual(outcome.status, .ok, "\(mode)")

            let noise = log.events.filter { $0.phase == .noiseWarmup }
            let training = log.events.filter { $0.phase == .training }
            XCTAssertEqual(noise.map(\.step), Array(1...k), "\(mode): noise steps")
            XCTAssertTrue(noise.allSatisfy { $0.total == k && $0.guidance != nil }, "\(mode): noise steps carry the alignment loss")
            XCTAssertEqual(training.map(\.step), Array(1...steps), "\(mode): training steps")
            let lastNoise = try XCTUnwrap(log.events.lastIndex { $0.phase == .noiseWarmup })
            let firstTraining = try XCTUnwrap(log.events.firstIndex { $0.phase == .training })
            XCTAssertLessThan(lastNoise, firstTraining, "\(mode): warm-up comes first")

            // Training proper is the task alone: no guidance term in any curve point.
            XCTAssertEqual(outcome.curves.map(\.step), [3, 6])
            for point in outcome.curves {
                XCTAssertNil(point.guidanceLoss, "\(mode): step \(point.step) mixes warm-up losses into the curve")
                XCTAssertEqual(point.trainLoss!, point.taskLoss!, accuracy: 1e-6)
            }
            finalTargets[mode] = try TinyJob.snapshot(trainer.target)
        }

        // The warm-up changes the result: neither mode ends where the baseline (same seed, same steps) does, and
        // the two modes (the target sees noise, or the real batch) differ from each other.
        let baseline = try Trainer(spec: TinyJob.spec(condition: .baseline, steps: steps, evalEvery: 3))
        _ = try baseline.run()
        let baselineTarget = try TinyJob.snapshot(baseline.target)
        XCTAssertNotEqual(finalTargets[.guideOnly], baselineTarget)
        XCTAssertNotEqual(finalTargets[.both], baselineTarget)
        XCTAssertNotEqual(finalTargets[.guideOnly], finalTargets[.both])
    }

    /// Zero warm-up steps is the baseline's training exactly (same seed, same batches).
    func testZeroNoiseStepsIsPlainTraining() throws {
        let warm = try Trainer(spec: TinyJob.spec(condition: .noiseWarmup, steps: 4, guidance: GuidanceConfig(noiseSteps: 0)))
        let baseline = try Trainer(spec: TinyJob.spec(condition: .baseline, steps: 4))
        _ = try warm.run()
        _ = try baseline.run()
        XCTAssertEqual(try TinyJob.snapshot(warm.target), try TinyJob.snapshot(baseline.target))
    }
}
