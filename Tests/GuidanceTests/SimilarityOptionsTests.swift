import Foundation
@testable import Guidance
import Models
import Sweep
import Torch
import XCTest

/// `epsilon_mode` (where ε sits in the normaliser) and `cka_batch` (similarity on the first N examples of a batch).
final class SimilarityOptionsTests: XCTestCase {
    /// Linear CKA from its definition in Double, with ε inside or outside the root: a / sqrt(b·c + ε) or
    /// a / (sqrt(b·c) + ε), a = ‖YcᵀXc‖², b = ‖XcᵀXc‖², c = ‖YcᵀYc‖².
    private func referenceCKA(_ x: [[Double]], _ y: [[Double]], epsilon: Double, outside: Bool) -> Double {
        func centred(_ m: [[Double]]) -> [[Double]] {
            let n = Double(m.count)
            let means = (0..<m[0].count).map { j in m.reduce(0) { $0 + $1[j] } / n }
            return m.map { row in zip(row, means).map { $0 - $1 } }
        }
        func crossNorm(_ a: [[Double]], _ b: [[Double]]) -> Double {  // ‖aᵀb‖²_F
            var total = 0.0
            for i in 0..<a[0].count {
                for j in 0..<b[0].count {
                    let v = zip(a, b).reduce(0) { $0 + $1.0[i] * $1.1[j] }
                    total += v * v
                }
            }
            return total
        }
        let xc = centred(x), yc = centred(y)
        let a = crossNorm(xc, yc), b = crossNorm(xc, xc), c = crossNorm(yc, yc)
        return outside ? a / ((b * c).squareRoot() + epsilon) : a / (b * c + epsilon).squareRoot()
    }

    private func random(_ rows: Int, _ columns: Int, seed: UInt64) throws -> ([[Double]], Tensor) {
        let t = try Tensor.randn([rows, columns], generator: Generator(seed: seed)) * 0.05
        let values = try t.doubles()
        return ((0..<rows).map { Array(values[($0 * columns)..<(($0 + 1) * columns)]) }, t)
    }

    func testEpsilonModesMatchTheirFormulaOnEveryPath() throws {
        // Small activations and a large ε so that the two placements differ visibly.
        let (xv, x) = try random(12, 5, seed: 1), (yv, y) = try random(12, 7, seed: 2)
        let epsilon = 1e-6
        let inside = referenceCKA(xv, yv, epsilon: epsilon, outside: false)
        let outside = referenceCKA(xv, yv, epsilon: epsilon, outside: true)
        XCTAssertGreaterThan(abs(inside - outside), 1e-3 * abs(inside), "the test needs the placements to differ")
        let measure = SimilarityMeasure.linearCKA
        // Default (fused op, y without gradient), explicit inside, outside.
        XCTAssertEqual(try measure(x, y, epsilon: epsilon).item(), inside, accuracy: 1e-4 * abs(inside))
        XCTAssertEqual(try measure(x, y, epsilon: epsilon, epsilonMode: .insideSqrt).item(), inside, accuracy: 1e-4 * abs(inside))
        XCTAssertEqual(try measure(x, y, epsilon: epsilon, epsilonMode: .outside).item(), outside, accuracy: 1e-4 * abs(outside))
        // The guide cache's path (a centred Gram matrix of the guide) gives the same values.
        let yc = try y - y.mean(dim: 0, keepDim: true)
        let lc = try yc.matmul(yc.transpose(0, 1))
        for (mode, expected) in [(GuidanceConfig.EpsilonMode.insideSqrt, inside), (.outside, outside)] {
            XCTAssertEqual(try SimilarityMeasure.linearCKASum([(x, lc, nil)], epsilon: epsilon, mode: mode).item(), expected,
                           accuracy: 1e-4 * abs(expected), "\(mode)")
            // Two terms, one of them with a row order (x's rows reversed, the Gram's rows alike): twice the value.
            let reversed = try Tensor((0..<12).reversed().map(Int64.init), shape: [12])
            let lcReversed = try lc.indexSelect(dim: 0, reversed).indexSelect(dim: 1, reversed)
            XCTAssertEqual(try SimilarityMeasure.linearCKASum([(x, lc, nil), (x, lcReversed, reversed)], epsilon: epsilon, mode: mode).item(),
                           2 * expected, accuracy: 2e-4 * abs(expected), "\(mode), two terms")
        }
    }

    /// A constant target layer: both placements give a finite value and a finite gradient (no NaN from the root).
    func testAConstantLayerGivesAFiniteZeroGradientInBothModes() throws {
        let (_, y) = try random(8, 4, seed: 3)
        for mode in GuidanceConfig.EpsilonMode.allCases {
            for measure in [SimilarityMeasure.linearCKA, .rbfCKA(sigma: 0.8), .rsa] {
                let x = try Tensor.ones([8, 6]).requiresGrad(true)
                let value = try measure(x, y, epsilonMode: mode)
                try value.backward()
                XCTAssertTrue(try value.item().isFinite, "\(measure.name) \(mode)")
                let gradient = try XCTUnwrap(x.grad).doubles()
                XCTAssertTrue(gradient.allSatisfy { $0.isFinite }, "\(measure.name) \(mode): \(gradient.prefix(4))")
            }
        }
    }

    /// The defaults are today's measure: written or omitted, the same job; other values are other jobs; a condition
    /// that never measures similarity (distill) drops them.
    func testDefaultsKeepIDsAndDistillDropsThem() {
        let plain = TinyJob.spec(condition: .guided)
        XCTAssertEqual(TinyJob.spec(condition: .guided, guidance: GuidanceConfig(epsilonMode: .insideSqrt, ckaBatch: nil)).id, plain.id)
        XCTAssertFalse(CanonicalJSON.string(plain).contains("epsilon_mode"))
        XCTAssertFalse(CanonicalJSON.string(plain).contains("cka_batch"))
        XCTAssertNotEqual(TinyJob.spec(condition: .guided, guidance: GuidanceConfig(epsilonMode: .outside)).id, plain.id)
        XCTAssertNotEqual(TinyJob.spec(condition: .guided, guidance: GuidanceConfig(ckaBatch: 16)).id, plain.id)
        XCTAssertEqual(TinyJob.spec(condition: .distill, guidance: GuidanceConfig(epsilonMode: .outside, ckaBatch: 16)).id,
                       TinyJob.spec(condition: .distill).id)
    }

    /// With cka_batch N the term is Σ(1 − CKA) over the first N examples of the batch, computed one by one here.
    func testCKABatchMeasuresTheFirstNExamples() throws {
        let n = 10
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided, guidance: GuidanceConfig(ckaBatch: n)))
        let guide = try XCTUnwrap(trainer.guide), alignment = try XCTUnwrap(trainer.alignment)
        var loop = TrainingLoop(trainer: trainer)
        let (batch, indices) = try loop.nextBatch()
        XCTAssertEqual(indices.count, 32)
        let (_, _, term) = try loop.losses(batch, indices: indices, step: 1)
        let first = try batch.model.prefix(n)
        let t = try XCTUnwrap(trainer.target(first, recordTaps: true).taps).activations
        let g = try XCTUnwrap(guide(first, recordTaps: true).taps).activations
        XCTAssertEqual(t[0].size(0), n)
        let expected = try alignment.loss(target: t, guide: g).item()
        let whole = try alignment.loss(target: XCTUnwrap(trainer.target(batch.model, recordTaps: true).taps).activations,
                                       guide: XCTUnwrap(guide(batch.model, recordTaps: true).taps).activations).item()
        XCTAssertEqual(try XCTUnwrap(term).item(), expected, accuracy: 1e-5)
        XCTAssertGreaterThan(abs(expected - whole), 1e-4, "the first 10 examples should measure differently from all 32")
    }

    /// cka_batch and epsilon_mode: outside give the same run with the guide cache and without (plain and shuffled).
    func testCKABatchAndOutsideEpsilonAreTheSameRunCachedAndUncached() throws {
        for condition in [Condition.guided, .guidedShuffled] {
            let spec = TinyJob.spec(condition: condition, steps: 12, evalEvery: 4,
                                    guidance: GuidanceConfig(epsilon: 1e-4, epsilonMode: .outside, ckaBatch: 12))
            let runs = try [false, true].map { cached -> Trainer.Outcome in
                var options = Trainer.Options()
                options.useGuideCache = cached
                options.warn = { _ in }
                return try Trainer(spec: spec, options: options).run()
            }
            XCTAssertEqual(runs[1].guideCache?.used, true)
            for (p, q) in zip(runs[0].curves, runs[1].curves) {
                let x = try XCTUnwrap(p.guidanceLoss), y = try XCTUnwrap(q.guidanceLoss)
                XCTAssertEqual(x, y, accuracy: GuideCacheTests.relativeTolerance * max(abs(x), 1), "\(condition) step \(p.step)")
                XCTAssertEqual(try XCTUnwrap(p.valLoss), try XCTUnwrap(q.valLoss), accuracy: GuideCacheTests.relativeTolerance)
            }
        }
    }

    func testBadValuesAreRefusedNamingTheField() {
        func problems(_ guidance: String, batch: Int = 32, similarity: String = "linear-cka") -> String {
            let yaml = """
                tasks: [{name: mnist1d, samples: 600}]
                targets: [{family: fcn}]
                guides: [{family: cnn}]
                conditions: [baseline, guided]
                training: {steps: 100, batch_size: \(batch)}
                guidance: {similarity: \(similarity), \(guidance)}
                """
            do {
                _ = try Manifest.decode(yaml: yaml, file: "e.yaml")
                return ""
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(problems("cka_batch: 64").contains("e.yaml:6:") && problems("cka_batch: 64").contains("guidance.cka_batch"))
        XCTAssertTrue(problems("cka_batch: 2").contains("guidance.cka_batch"), problems("cka_batch: 2"))
        XCTAssertTrue(problems("cka_batch: 3", similarity: "debiased-cka").contains("at least 4"))
        XCTAssertTrue(problems("epsilon_mode: inside").contains("guidance.epsilon_mode"))
        XCTAssertEqual(problems("cka_batch: [null, 32], epsilon_mode: [inside-sqrt, outside]"), "")
        XCTAssertThrowsError(try Trainer(spec: TinyJob.spec(condition: .guided, batchSize: 16, guidance: GuidanceConfig(ckaBatch: 20))))
    }
}
