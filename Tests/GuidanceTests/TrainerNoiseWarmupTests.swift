@testable import Guidance
import Models
import Sweep
import Torch
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

    /// The warm-up reads batches of its own: after it, the training steps see exactly the baseline's batches, in both
    /// noise modes and with both noise distributions.
    func testWarmupLeavesTheBaselinesBatchOrderIntact() throws {
        func trainingIndices(_ condition: Condition, _ guidance: GuidanceConfig = GuidanceConfig()) throws -> [[Int]] {
            var loop = TrainingLoop(trainer: try Trainer(spec: TinyJob.spec(condition: condition, guidance: guidance)))
            if condition == .noiseWarmup { XCTAssertNil(try loop.noiseWarmup()) }
            return try (0..<20).map { _ in try loop.nextBatch().indices }  // 20 × 32 > 432 examples: past one epoch
        }
        let baseline = try trainingIndices(.baseline)
        for mode in GuidanceConfig.NoiseMode.allCases {
            for noise in GuidanceConfig.NoiseDistribution.allCases {
                XCTAssertEqual(try trainingIndices(.noiseWarmup, GuidanceConfig(noiseSteps: 7, noiseMode: mode, noise: noise)),
                               baseline, "\(mode), \(noise)")
            }
        }
    }

    /// `normal` draws N(0,1) per element; `clamped` stays in [0, 1]; tokens are ids below the vocabulary either way.
    func testNoiseDistributions() throws {
        let batch = ModelBatch(inputs: try Tensor.zeros([64, 1, 40]))
        let normal = try NoiseInputs.like(batch, input: .signal(channels: 1, length: 40), distribution: .normal,
                                          generator: Generator(seed: 1)).inputs.doubles()
        let mean = normal.reduce(0, +) / Double(normal.count)
        let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(normal.count)
        XCTAssertEqual(mean, 0, accuracy: 0.1)  // 2560 draws: standard error 0.02
        XCTAssertEqual(variance, 1, accuracy: 0.15)
        XCTAssertLessThan(normal.min()!, -2)
        let clamped = try NoiseInputs.like(batch, input: .signal(channels: 1, length: 40), distribution: .clamped,
                                           generator: Generator(seed: 1)).inputs.doubles()
        XCTAssertTrue(clamped.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertGreaterThan(clamped.filter { $0 == 0 }.count, clamped.count / 4, "about half the draws clamp to 0")
        let tokens = try NoiseInputs.like(ModelBatch(inputs: try Tensor.zeros([8, 12], dtype: .int64)),
                                          input: .tokens(length: 12, vocabulary: 5), distribution: .normal,
                                          generator: Generator(seed: 1)).inputs.doubles()
        XCTAssertTrue(tokens.allSatisfy { $0 >= 0 && $0 < 5 && $0 == $0.rounded() })
    }

    /// A noise-warmup job always carries its noise (so its id changed when the warm-up stopped consuming training
    /// batches), written or not; other conditions never do, so their ids are unchanged.
    func testNoiseIsPartOfNoiseWarmupIdentityOnly() throws {
        let written = TinyJob.spec(condition: .noiseWarmup, guidance: GuidanceConfig(noise: .clamped))
        let omitted = TinyJob.spec(condition: .noiseWarmup)
        XCTAssertEqual(written.id, omitted.id)
        XCTAssertEqual(omitted.guidance.noise, .clamped)
        XCTAssertTrue(CanonicalJSON.string(omitted).contains("\"noise\":\"clamped\""))
        XCTAssertNotEqual(TinyJob.spec(condition: .noiseWarmup, guidance: GuidanceConfig(noise: .normal)).id, omitted.id)
        for condition in Condition.allCases where condition != .noiseWarmup {
            let spec = TinyJob.spec(condition: condition, guidance: GuidanceConfig(noise: .normal))
            XCTAssertNil(spec.guidance.noise, condition.rawValue)
            XCTAssertEqual(spec.id, TinyJob.spec(condition: condition).id, condition.rawValue)
            XCTAssertFalse(CanonicalJSON.string(spec).contains("\"noise\""), condition.rawValue)
        }
        // The normal warm-up trains to another target than the clamped one.
        func final(_ noise: GuidanceConfig.NoiseDistribution) throws -> [String: [Double]] {
            let trainer = try Trainer(spec: TinyJob.spec(condition: .noiseWarmup, steps: 2, guidance: GuidanceConfig(noiseSteps: 3, noise: noise)))
            XCTAssertEqual(try trainer.run().status, .ok)
            return try TinyJob.snapshot(trainer.target)
        }
        XCTAssertNotEqual(try final(.normal), try final(.clamped))
        XCTAssertThrowsError(try Manifest.decode(yaml: "tasks: [a]\ntargets: [{family: fcn}]\nguides: [{family: cnn}]\nconditions: [noise-warmup]\nguidance: {noise: gaussian}\n",
                                                 file: "n.yaml")) { error in
            XCTAssertTrue("\(error)".contains("n.yaml:5:") && "\(error)".contains("guidance.noise"), "\(error)")
        }
    }
}
