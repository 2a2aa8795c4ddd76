@testable import Guidance
import Sweep
import Torch
import XCTest

/// `SimilarityMatrix`: every pair of taps of two models on one probe batch.
final class SimilarityMatrixTests: XCTestCase {
    /// Untrained models are the target and untrained guide a job with the same seed starts from, and each entry is
    /// the measure of the corresponding taps on the probe (the first validation examples).
    func testEntriesMeasureTheJobsInitialTargetAndGuide() throws {
        let matrix = try SimilarityMatrix.compute(task: TinyJob.task, a: TinyJob.target, b: TinyJob.guide, measure: .linearCKA,
                                                  probe: 30, seed: 5)
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided, seed: 5))
        let guide = try XCTUnwrap(trainer.guide)
        XCTAssertEqual(matrix.probeSplit, "validation")
        XCTAssertEqual(matrix.probeExamples, 30)
        XCTAssertEqual(matrix.a.taps, try trainer.target.describeTaps().map(\.name))
        XCTAssertEqual(matrix.b.taps, try guide.describeTaps().map(\.name))
        XCTAssertEqual(matrix.autoPairs, trainer.alignment?.pairs)

        let batch = try trainer.data.tensors(trainer.data.dataset.validation.batch(0..<30))
        trainer.target.eval()
        let t = try XCTUnwrap(trainer.target(batch.model, recordTaps: true).taps).activations
        let g = try XCTUnwrap(guide(batch.model, recordTaps: true).taps).activations
        XCTAssertEqual(matrix.values.count, t.count)
        for (i, row) in matrix.values.enumerated() {
            XCTAssertEqual(row.count, g.count)
            for (j, value) in row.enumerated() {
                let expected = try SimilarityMeasure.linearCKA(t[i].flatten(start: 1).to(.float64), g[j].flatten(start: 1).to(.float64)).item()
                XCTAssertEqual(value, expected, accuracy: 1e-9, "(\(i), \(j))")
            }
        }
    }

    func testAModelAgainstItselfHasAUnitDiagonalAndProbeIsCapped() throws {
        let directory = try TinyJob.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainer = try Trainer(spec: TinyJob.spec(), options: Trainer.Options(saveCheckpoint: true))
        let checkpoint = directory.appendingPathComponent("fcn.safetensors")
        try XCTUnwrap(trainer.run().checkpoint).write(to: checkpoint)

        let matrix = try SimilarityMatrix.compute(task: TinyJob.task, a: TinyJob.target, b: TinyJob.target, aCheckpoint: checkpoint,
                                                  bCheckpoint: checkpoint, measure: .rsa, probe: 10_000)
        XCTAssertEqual(matrix.probeExamples, 48, "the whole validation split, no more")
        for i in matrix.values.indices { XCTAssertEqual(matrix.values[i][i], 1, accuracy: 1e-9) }
        XCTAssertEqual(matrix.a.checkpoint, checkpoint.path)

        // A checkpoint of another architecture is refused, naming the model it was meant for.
        XCTAssertThrowsError(try SimilarityMatrix.compute(task: TinyJob.task, a: TinyJob.target, b: TinyJob.guide, bCheckpoint: checkpoint)) {
            XCTAssertTrue("\($0)".contains("model b"), "\($0)")
        }
    }
}
