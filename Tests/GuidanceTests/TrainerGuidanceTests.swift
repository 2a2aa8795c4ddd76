@testable import Guidance
import Models
import Sweep
import Torch
import XCTest

/// The trainer's guided conditions (method.md §1, §5) on a tiny MNIST-1D job.
final class TrainerGuidanceTests: XCTestCase {
    /// The guide is frozen: no gradient, never updated (parameters and BatchNorm statistics alike), and not given to
    /// the optimizer, which holds exactly the target's parameters.
    func testGuideIsFrozenDuringAGuidedRun() throws {
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided))
        let guide = try XCTUnwrap(trainer.guide)
        let guideBefore = try TinyJob.snapshot(guide)
        let targetBefore = try TinyJob.snapshot(trainer.target)

        let outcome = try trainer.run()
        XCTAssertEqual(outcome.status, .ok)

        XCTAssertEqual(try TinyJob.snapshot(guide), guideBefore, "the guide's state changed")
        XCTAssertNotEqual(try TinyJob.snapshot(trainer.target), targetBefore, "the target did not train")
        for (name, parameter) in guide.namedParameters() {
            XCTAssertFalse(parameter.requiresGrad, "guide parameter \(name) requires grad")
            XCTAssertNil(parameter.grad, "guide parameter \(name) received a gradient")
        }
        let optimized = trainer.optimizer.parameters
        XCTAssertFalse(guide.namedParameters().contains { p in optimized.contains { $0 === p.1 } }, "a guide parameter is in the optimizer")
        XCTAssertEqual(optimized.count, trainer.target.namedParameters().count)
        XCTAssertTrue(trainer.target.namedParameters().allSatisfy { p in optimized.contains { $0 === p.1 } })
    }

    /// guided-init: the guidance term is present for steps 1…K only, then training goes on with the task loss.
    func testGuidedInitGuidesOnlyTheFirstKSteps() throws {
        let k = 4
        let spec = TinyJob.spec(condition: .guidedInit, steps: 10, evalEvery: 1, guidance: GuidanceConfig(initSteps: k))
        let outcome = try Trainer(spec: spec).run()
        XCTAssertEqual(outcome.status, .ok)
        XCTAssertEqual(outcome.curves.map(\.step), Array(1...10))
        for point in outcome.curves {
            if point.step <= k {
                let g = try XCTUnwrap(point.guidanceLoss, "step \(point.step) should be guided")
                XCTAssertEqual(point.trainLoss!, point.taskLoss! + g, accuracy: 1e-5, "total = task + α·guidance at step \(point.step)")
            } else {
                XCTAssertNil(point.guidanceLoss, "step \(point.step) is past K = \(k)")
                XCTAssertEqual(point.trainLoss!, point.taskLoss!, accuracy: 1e-6)
            }
        }
    }

    /// guided-init with K = 0 is the baseline, and with K ≥ steps the guided run: the optimizer and the batches are
    /// the same throughout, only the loss changes at step K.
    func testGuidedInitEndpointsAreBaselineAndGuided() throws {
        let steps = 6
        func finalTarget(_ condition: Condition, k: Int = 300) throws -> [String: [Double]] {
            let trainer = try Trainer(spec: TinyJob.spec(condition: condition, steps: steps, guidance: GuidanceConfig(initSteps: k)))
            XCTAssertEqual(try trainer.run().status, .ok)
            return try TinyJob.snapshot(trainer.target)
        }
        let baseline = try finalTarget(.baseline), guided = try finalTarget(.guided)
        XCTAssertNotEqual(baseline, guided)
        XCTAssertEqual(try finalTarget(.guidedInit, k: 0), baseline)
        XCTAssertEqual(try finalTarget(.guidedInit, k: steps), guided)
        XCTAssertNotEqual(try finalTarget(.guidedInit, k: steps / 2), guided)
    }

    /// distill-init distils for the first K steps only: K = 0 is the baseline, K = steps is distill; the task-only
    /// steps after K carry no distillation term.
    func testDistillInitDistilsForTheFirstKStepsOnly() throws {
        let steps = 6
        func run(_ condition: Condition, k: Int = 300) throws -> ([String: [Double]], Trainer.Outcome) {
            let trainer = try Trainer(spec: TinyJob.spec(condition: condition, steps: steps, evalEvery: 1,
                                                         guidance: GuidanceConfig(initSteps: k)))
            let outcome = try trainer.run()
            XCTAssertEqual(outcome.status, .ok)
            return (try TinyJob.snapshot(trainer.target), outcome)
        }
        let baseline = try run(.baseline).0, distill = try run(.distill).0
        XCTAssertNotEqual(distill, baseline)
        XCTAssertEqual(try run(.distillInit, k: 0).0, baseline)
        XCTAssertEqual(try run(.distillInit, k: steps).0, distill)
        let (half, outcome) = try run(.distillInit, k: steps / 2)
        XCTAssertNotEqual(half, distill)
        XCTAssertNotEqual(half, baseline)
        XCTAssertEqual(outcome.curves.map { $0.guidanceLoss != nil }, [true, true, true, false, false, false])
    }

    /// The guidance term is Σ over the mapped pairs of (1 − linear CKA), summed, not averaged (method.md §1), with
    /// the pairs of the even-spacing rule where the last guide tap landing on a target tap wins (§4).
    func testGuidanceTermIsTheSumOverMappedPairs() throws {
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided))
        let guide = try XCTUnwrap(trainer.guide)
        var loop = TrainingLoop(trainer: trainer)
        let (batch, indices) = try loop.nextBatch()
        let (_, _, term) = try loop.losses(batch, indices: indices, step: 1)

        // cnn depth 2 has 3 taps (two convs, the pooled features), the fcn 2: step 0.5, guide taps 0 and 1 both
        // land on target tap 0 (round half to even), so guide tap 1 guides it; guide tap 2 guides target tap 1.
        XCTAssertEqual(trainer.alignment?.pairs, [TapPairing(guide: 1, target: 0), TapPairing(guide: 2, target: 1)])
        let targetTaps = try XCTUnwrap(trainer.target(batch.model, recordTaps: true).taps).activations
        let guideTaps = try XCTUnwrap(guide(batch.model, recordTaps: true).taps).activations
        XCTAssertEqual(targetTaps.count, 2)
        XCTAssertEqual(guideTaps.count, 3)
        let expected = try [(1, 0), (2, 1)].reduce(0.0) { sum, pair in
            sum + 1 - (try SimilarityMeasure.linearCKA(targetTaps[pair.1], guideTaps[pair.0]).item())
        }
        XCTAssertEqual(try XCTUnwrap(term).item(), expected, accuracy: 1e-5)
        XCTAssertGreaterThan(expected, 0.01, "the sum must differ from the mean (half of it) by more than the tolerance")
    }

    /// Plain guided runs guide every step, with α scaling the term in the total.
    func testGuidedRunGuidesEveryStepWithAlpha() throws {
        let spec = TinyJob.spec(condition: .guided, steps: 5, evalEvery: 1, guidance: GuidanceConfig(alpha: 2.5))
        let outcome = try Trainer(spec: spec).run()
        XCTAssertEqual(outcome.curves.count, 5)
        for point in outcome.curves {
            let g = try XCTUnwrap(point.guidanceLoss)
            XCTAssertEqual(point.trainLoss!, point.taskLoss! + 2.5 * g, accuracy: 1e-4)
        }
        XCTAssertNotNil(outcome.metrics["guidance_loss"])
        XCTAssertFalse(outcome.mapping.isEmpty)
    }

    /// Distillation: the KL term is zero when the guide computes exactly the target's logits, and positive otherwise.
    func testDistillationTermVanishesForIdenticalLogits() throws {
        let spec = TinyJob.spec(condition: .distill, guide: TinyJob.target, guidance: GuidanceConfig(temperature: 2))
        let trainer = try Trainer(spec: spec)
        let guide = try XCTUnwrap(trainer.guide)
        var loop = TrainingLoop(trainer: trainer)
        let (batch, indices) = try loop.nextBatch()

        let (_, _, differentKL) = try loop.losses(batch, indices: indices, step: 1)
        XCTAssertGreaterThan(try XCTUnwrap(differentKL).item(), 1e-4, "two independently initialised nets agree exactly?")

        try guide.load(trainer.target.stateDict())
        let (total, task, kl) = try loop.losses(batch, indices: indices, step: 1)
        XCTAssertEqual(try XCTUnwrap(kl).item(), 0, accuracy: 1e-6)
        XCTAssertEqual(try total.item(), try task.item(), accuracy: 1e-6)
    }

    /// A short guided run raises the target's CKA with the guide on held-out examples above the baseline run that
    /// starts from the same initialisation and sees the same batches.
    func testGuidanceMovesTheTargetTowardTheGuide() throws {
        let steps = 40, guidance = GuidanceConfig(alpha: 1)
        let guided = try Trainer(spec: TinyJob.spec(condition: .guided, steps: steps, batchSize: 64, guidance: guidance))
        let baseline = try Trainer(spec: TinyJob.spec(condition: .baseline, steps: steps, batchSize: 64))
        let guide = try XCTUnwrap(guided.guide), alignment = try XCTUnwrap(guided.alignment)
        let probe = try TinyJob.probe(guided)

        // Same seed → the same initial target in both runs.
        XCTAssertEqual(try TinyJob.snapshot(guided.target), try TinyJob.snapshot(baseline.target))
        let before = try TinyJob.alignmentLoss(target: guided.target, guide: guide, alignment: alignment, batch: probe)

        XCTAssertEqual(try guided.run().status, .ok)
        XCTAssertEqual(try baseline.run().status, .ok)
        let guidedLoss = try TinyJob.alignmentLoss(target: guided.target, guide: guide, alignment: alignment, batch: probe)
        let baselineLoss = try TinyJob.alignmentLoss(target: baseline.target, guide: guide, alignment: alignment, batch: probe)

        // Σ(1 − CKA) over the pairs: lower means more similar.
        XCTAssertLessThan(guidedLoss, before, "guidance did not raise CKA to the guide")
        XCTAssertLessThan(guidedLoss, baselineLoss - 0.05 * Double(alignment.pairs.count),
                          "guided Σ(1−CKA) \(guidedLoss) vs baseline \(baselineLoss)")
    }

    /// Same spec, same seed → the same record content (metrics, curves, mapping); another seed → different curves.
    func testGuidedRunIsDeterministicForASeed() throws {
        let spec = TinyJob.spec(condition: .guided, steps: 12, evalEvery: 4)
        let worker = WorkerRef(id: "test", host: "localhost")
        let first = JobRunner.run(spec, worker: worker, protocolVersion: 0).record
        let second = JobRunner.run(spec, worker: worker, protocolVersion: 0).record
        XCTAssertEqual(first.status, .ok)
        XCTAssertFalse(first.metrics.isEmpty)
        XCTAssertEqual(first.metrics, second.metrics)
        XCTAssertEqual(first.curves, second.curves)
        XCTAssertEqual(first.mapping, second.mapping)

        var other = spec
        other.seed = 1
        XCTAssertNotEqual(JobRunner.run(other, worker: worker, protocolVersion: 0).record.curves, first.curves)
    }
}
