import Foundation
@testable import Guidance
import Models
import Sweep
import Torch
import XCTest

/// guided-shuffled and guided-shuffled-init (issue 14): the guide reads a permuted copy of each batch, so row i of its
/// side is another example than row i of the target's; the same run with and without the guide cache.
final class ShuffledGuideTests: XCTestCase {
    func testPermutationsAreSingleCyclesWithoutFixedPointsAndFollowTheSeed() {
        var a = GuideShuffle(seed: 7), b = GuideShuffle(seed: 7), c = GuideShuffle(seed: 8)
        var differs = false
        for n in [2, 3, 5, 32, 256] {
            let order = a.permutation(n)
            XCTAssertEqual(order.sorted(), Array(0..<n), "a permutation of 0..<\(n)")
            XCTAssertTrue(zip(order, 0..<n).allSatisfy { $0 != $1 }, "n = \(n): an example meets its own guide row: \(order)")
            // One cycle: following order from 0 visits every index before coming back.
            var seen = Set<Int>(), i = 0
            repeat { seen.insert(i); i = order[i] } while i != 0
            XCTAssertEqual(seen.count, n, "n = \(n): not a single cycle")
            XCTAssertEqual(b.permutation(n), order, "the same seed gives the same orders")
            if c.permutation(n) != order { differs = true }
        }
        XCTAssertTrue(differs, "another seed gives other orders")
        XCTAssertEqual(a.permutation(1), [0])
    }

    /// The shuffled term at a step is Σ(1 − CKA) of the target's taps against the guide's taps on the batch permuted by
    /// the seed's permutation; those guide activations are the unshuffled ones with their rows permuted; the term
    /// differs from the unshuffled one.
    func testShuffledTermAlignsTheTargetToThePermutedGuideRows() throws {
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guidedShuffled))
        let guide = try XCTUnwrap(trainer.guide), alignment = try XCTUnwrap(trainer.alignment)
        var loop = TrainingLoop(trainer: trainer)
        let (batch, indices) = try loop.nextBatch()
        let (_, _, term) = try loop.losses(batch, indices: indices, step: 1)

        var shuffle = GuideShuffle(seed: Seeds.derive(0, .guideShuffle))
        let order = shuffle.permutation(indices.count)
        let rows = try Tensor(order.map(Int64.init), shape: [order.count])
        let targetTaps = try XCTUnwrap(trainer.target(batch.model, recordTaps: true).taps).activations
        let guideTaps = try XCTUnwrap(guide(batch.model, recordTaps: true).taps).activations
        let shuffledTaps = try XCTUnwrap(guide(batch.model.rows(order), recordTaps: true).taps).activations
        for (tap, (plain, shuffled)) in zip(guideTaps, shuffledTaps).enumerated() {
            let expected = try plain.indexSelect(dim: 0, rows).doubles(), actual = try shuffled.doubles()
            XCTAssertEqual(expected.count, actual.count)
            XCTAssertLessThanOrEqual(zip(expected, actual).map { abs($0 - $1) }.max() ?? 0, 1e-5,
                                     "guide tap \(tap): shuffled activations are not the permuted unshuffled ones")
        }
        let expected = try alignment.loss(target: targetTaps, guide: shuffledTaps).item()
        let unshuffled = try alignment.loss(target: targetTaps, guide: guideTaps).item()
        XCTAssertEqual(try XCTUnwrap(term).item(), expected, accuracy: 1e-5)
        XCTAssertGreaterThan(abs(expected - unshuffled), 1e-3, "shuffling the guide's rows should change CKA")
    }

    /// Cached (the cached rows' indices permuted) and uncached (the batch permuted) give the same run, and it is not
    /// the unshuffled guided run.
    func testShuffledRunIsTheSameCachedAndUncached() throws {
        let spec = TinyJob.spec(condition: .guidedShuffled, steps: 30, evalEvery: 5)
        let uncached = try run(spec, cached: false), cached = try run(spec, cached: true)
        XCTAssertEqual(cached.guideCache?.used, true, "\(String(describing: cached.guideCache))")
        XCTAssertEqual(uncached.curves.map(\.step), cached.curves.map(\.step))
        for (p, q) in zip(uncached.curves, cached.curves) {
            for (x, y, what) in [(p.trainLoss, q.trainLoss, "train"), (p.guidanceLoss, q.guidanceLoss, "guidance"),
                                 (p.valLoss, q.valLoss, "val")] {
                let x = try XCTUnwrap(x), y = try XCTUnwrap(y)
                XCTAssertLessThanOrEqual(abs(x - y), GuideCacheTests.relativeTolerance * max(abs(x), abs(y), 1),
                                         "\(what) loss at step \(p.step): \(x) vs \(y)")
            }
        }
        for (name, value) in uncached.metrics {
            let other = try XCTUnwrap(cached.metrics[name], name)
            XCTAssertLessThanOrEqual(abs(value - other), GuideCacheTests.relativeTolerance * max(abs(value), abs(other), 1), name)
        }
        let guided = try run(TinyJob.spec(condition: .guided, steps: 30, evalEvery: 5), cached: false)
        XCTAssertNotEqual(guided.curves.compactMap(\.guidanceLoss), uncached.curves.compactMap(\.guidanceLoss))
    }

    /// guided-shuffled-init guides with the shuffled guide for the first K steps: K = 0 is the baseline, K = steps
    /// is guided-shuffled.
    func testShuffledInitIsShuffledGuidanceForTheFirstKSteps() throws {
        let steps = 6
        func finalTarget(_ condition: Condition, k: Int = 300) throws -> [String: [Double]] {
            let trainer = try Trainer(spec: TinyJob.spec(condition: condition, steps: steps, guidance: GuidanceConfig(initSteps: k)))
            XCTAssertEqual(try trainer.run().status, .ok)
            return try TinyJob.snapshot(trainer.target)
        }
        let baseline = try finalTarget(.baseline), shuffled = try finalTarget(.guidedShuffled)
        XCTAssertNotEqual(shuffled, baseline)
        XCTAssertNotEqual(shuffled, try finalTarget(.guided))
        XCTAssertEqual(try finalTarget(.guidedShuffledInit, k: 0), baseline)
        XCTAssertEqual(try finalTarget(.guidedShuffledInit, k: steps), shuffled)
        XCTAssertNotEqual(try finalTarget(.guidedShuffledInit, k: steps / 2), shuffled)
    }

    func testABatchOfOneIsRefusedBeforeTraining() throws {
        XCTAssertThrowsError(try Trainer(spec: TinyJob.spec(condition: .guidedShuffled, batchSize: 1))) { error in
            XCTAssertTrue("\(error)".contains("batch_size"), "\(error)")
        }
        let yaml = """
            tasks: [{name: mnist1d, samples: 600}]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [baseline, guided-shuffled-init]
            training: {steps: 100, batch_size: [1, 32]}
            guidance: {init_steps: 10}
            """
        XCTAssertThrowsError(try Manifest.decode(yaml: yaml, file: "s.yaml", validators: [RegistrySpecValidator()])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("s.yaml:5:") && text.contains("training.batch_size") && text.contains("guided-shuffled-init"), text)
        }
    }

    /// Adding guided-shuffled beside guided adds jobs and changes none of the others' ids.
    func testAddingTheControlKeepsTheOtherJobsIDs() throws {
        let head = "tasks: [{name: mnist1d, samples: 600}]\ntargets: [{family: fcn}]\nguides: [{family: cnn}]\ntraining: {steps: 100}\nguidance: {init_steps: 10}\n"
        let before = Plan(try Manifest.decode(yaml: head + "conditions: [baseline, guided, guided-init]\n", file: "a.yaml"))
        let after = Plan(try Manifest.decode(yaml: head + "conditions: [baseline, guided, guided-init, guided-shuffled, guided-shuffled-init]\n",
                                             file: "b.yaml"))
        XCTAssertTrue(Set(before.jobs.map(\.id)).isSubset(of: Set(after.jobs.map(\.id))))
        XCTAssertEqual(after.jobs.count, before.jobs.count + 4)
    }

    private func run(_ spec: JobSpec, cached: Bool) throws -> Trainer.Outcome {
        var options = Trainer.Options()
        options.useGuideCache = cached
        options.warn = { _ in }
        let outcome = try Trainer(spec: spec, options: options).run()
        XCTAssertEqual(outcome.status, .ok)
        return outcome
    }
}
