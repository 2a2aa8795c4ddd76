import Config
import Foundation
@testable import Guidance
import Sweep
import Torch
import XCTest

/// `readout: flat | token-mean | token-sum | pooled` for sequence taps (issue 14).
final class ReadoutTests: XCTestCase {
    private let n = 9, length = 5

    /// x [n, T, d] from seeded normals, as Swift arrays and a tensor.
    private func sequence(_ d: Int, seed: UInt64) throws -> ([[[Double]]], Tensor) {
        let t = try Tensor.randn([n, length, d], generator: Generator(seed: seed))
        let v = try t.doubles()
        let nested = (0..<n).map { i in (0..<length).map { p in Array(v[((i * length + p) * d)..<((i * length + p + 1) * d)]) } }
        return (nested, t)
    }

    /// Example i padded from position `lengths[i]` on.
    private let lengths = [5, 5, 4, 5, 3, 5, 2, 5, 4]
    private func padding() throws -> Tensor {
        let flags = (0..<n).flatMap { i in (0..<length).map { p in p >= lengths[i] } }
        return try Tensor(flags.map { $0 ? Float(1) : 0 }, shape: [n, length]).gt(0.5)
    }

    /// Linear CKA of rows given as Swift arrays (a tensor built from exactly those rows).
    private func cka(_ x: [[Double]], _ y: [[Double]]) throws -> Double {
        let a = try Tensor(x.flatMap { $0 }.map(Float.init), shape: [x.count, x[0].count])
        let b = try Tensor(y.flatMap { $0 }.map(Float.init), shape: [y.count, y[0].count])
        return try SimilarityMeasure.linearCKA(a, b).item()
    }

    private func term(_ readout: GuidanceConfig.Readout, _ x: Tensor, _ y: Tensor, _ padding: Tensor?) throws -> Double {
        try TapReadout.term(readout, target: x, guide: y, targetPadding: padding, guidePadding: nil) {
            try SimilarityMeasure.linearCKA($0, $1)
        }.item()
    }

    /// token-mean is 1 − the mean of the per-position CKAs computed one by one over the examples not padded there
    /// (positions with fewer than 3 such examples left out); token-sum is the sum of the per-position terms.
    func testTokenReadoutsArePerPositionCKAsComputedOneByOne() throws {
        let (xv, x) = try sequence(4, seed: 1), (yv, y) = try sequence(3, seed: 2)
        for padded in [false, true] {
            var perPosition: [Double] = []
            for p in 0..<length {
                let rows = (0..<n).filter { !padded || p < lengths[$0] }
                guard rows.count >= 3 else { continue }
                perPosition.append(try cka(rows.map { xv[$0][p] }, rows.map { yv[$0][p] }))
            }
            XCTAssertEqual(perPosition.count, 5, "every position keeps at least 5 unpadded examples")
            let mask = padded ? try padding() : nil
            let mean = perPosition.reduce(0, +) / Double(perPosition.count)
            XCTAssertEqual(try term(.tokenMean, x, y, mask), 1 - mean, accuracy: 1e-5, "padded: \(padded)")
            XCTAssertEqual(try term(.tokenSum, x, y, mask), perPosition.map { 1 - $0 }.reduce(0, +), accuracy: 1e-5)
            XCTAssertGreaterThan(abs(try term(.tokenMean, x, y, mask) - term(.flat, x, y, mask)), 1e-3,
                                 "token and flat readouts should differ")
        }
        // Padding changes the token readout (the padded rows are left out, not compared).
        XCTAssertGreaterThan(abs(try term(.tokenMean, x, y, padding()) - term(.tokenMean, x, y, nil)), 1e-4)
    }

    /// pooled compares one vector per example: the mean over its unpadded positions.
    func testPooledIsCKAOfEachExamplesMeanOverItsPositions() throws {
        let (xv, x) = try sequence(4, seed: 3), (yv, y) = try sequence(6, seed: 4)
        func pooled(_ v: [[[Double]]]) -> [[Double]] {
            (0..<n).map { i in
                let kept = v[i].prefix(lengths[i])
                return (0..<v[i][0].count).map { j in kept.reduce(0) { $0 + $1[j] } / Double(kept.count) }
            }
        }
        let expected = 1 - (try cka(pooled(xv), pooled(yv)))
        XCTAssertEqual(try TapReadout.term(.pooled, target: x, guide: y, targetPadding: padding(), guidePadding: padding()) {
            try SimilarityMeasure.linearCKA($0, $1)
        }.item(), expected, accuracy: 1e-5)
    }

    /// A non-sequence tap with a token readout is refused before any job runs, naming the field; sequence models plan.
    func testANonSequenceTapIsRefusedNamingTheField() throws {
        let yaml = """
            tasks: [{name: mnist1d, samples: 600}]
            targets: [{family: fcn, depth: 2}]
            guides: [{family: cnn, depth: 2}]
            conditions: [baseline, guided]
            guide_states: [untrained]
            guidance: {readout: token-mean}
            """
        XCTAssertThrowsError(try Manifest.decode(yaml: yaml, file: "r.yaml", validators: [RegistrySpecValidator()])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("r.yaml:6:") && text.contains("guidance.readout") && text.contains("sequence taps"), text)
        }
        XCTAssertThrowsError(try Trainer(spec: TinyJob.spec(condition: .guided, guidance: GuidanceConfig(readout: .pooled)))) { error in
            XCTAssertTrue("\(error)".contains("guidance.readout"), "\(error)")
        }
        let sequence = """
            tasks: [{name: copy-paste, min_length: 2, max_length: 4}]
            targets: [{family: rnn, layers: 2, hidden: 8}]
            guides: [{family: transformer, layers: 1, width: 8, heads: 2, causal: true}]
            conditions: [baseline, guided]
            guide_states: [untrained]
            guidance: {readout: [flat, token-mean, token-sum, pooled]}
            """
        let plan = Plan(try Manifest.decode(yaml: sequence, file: "s.yaml", validators: [RegistrySpecValidator()]))
        XCTAssertEqual(plan.jobs.count, 5)
        // flat written is today's job: the same id as without the field.
        let flat = plan.jobs.first { $0.spec.condition == .guided && $0.spec.guidance.readout == .flat }!
        var omitted = flat.spec
        omitted.guidance = GuidanceConfig()
        XCTAssertEqual(flat.id, omitted.id)
        XCTAssertFalse(CanonicalJSON.string(flat.spec).contains("readout"))
    }

    /// A token readout trains an RNN guided by a Transformer on copy-paste; the guide cache is bypassed with its reason.
    func testTokenReadoutTrainsASequenceTarget() throws {
        let task = TaskSpec(name: "copy-paste", options: ["min_length": 2, "max_length": 4, "train_size": 64,
                                                          "validation_size": 16, "test_size": 16])
        let spec = TinyJob.spec(condition: .guided, guide: ModelSpec(family: "transformer", options: ["layers": 1, "width": 8, "heads": 2]),
                                task: task, target: ModelSpec(family: "rnn", options: ["layers": 2, "hidden": 8]),
                                steps: 4, batchSize: 16, evalEvery: 2, guidance: GuidanceConfig(readout: .tokenMean))
        let outcome = try Trainer(spec: spec).run()
        XCTAssertEqual(outcome.status, .ok)
        XCTAssertNotNil(outcome.curves.last?.guidanceLoss)
        XCTAssertEqual(outcome.guideCache?.used, false)
        XCTAssertTrue("\(String(describing: outcome.guideCache))".contains("readout"))
    }
}
