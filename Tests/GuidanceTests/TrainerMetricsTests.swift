@testable import Guidance
import Sweep
import XCTest

/// The final metrics of a job and the test metrics at its best validation point.
final class TrainerMetricsTests: XCTestCase {
    /// `eval_batches` caps the periodic validation points only: the final train/val/test metrics are the whole
    /// split's. The train split (432 examples) is two evaluation batches of 256, so a cap of 1 would change them.
    func testFinalMetricsUseTheWholeSplitWhateverEvalBatchesSays() throws {
        func run(evalBatches: Int?) throws -> Trainer.Outcome {
            var spec = TinyJob.spec(steps: 10, evalEvery: 5)
            spec.training.evalBatches = evalBatches
            return try Trainer(spec: spec).run()
        }
        let capped = try run(evalBatches: 1), full = try run(evalBatches: nil)
        XCTAssertEqual(capped.status, .ok)
        for name in ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy"] {
            let a = try XCTUnwrap(capped.metrics[name], name), b = try XCTUnwrap(full.metrics[name], name)
            XCTAssertEqual(a, b, "\(name) with eval_batches 1 differs from the whole split's")
        }
    }

    /// `test_at_best_val_*` are the test metrics of the network as it was at the evaluation with the best validation
    /// accuracy: a second run stopped at that step (same seed, constant learning rate) ends with the same test metrics.
    func testTestMetricsAtBestValidationAreThoseOfARunStoppedThere() throws {
        let outcome = try Trainer(spec: TinyJob.spec(steps: 30, evalEvery: 3)).run()
        XCTAssertEqual(outcome.status, .ok)
        let bestStep = Int(try XCTUnwrap(outcome.metrics["best_val_step"]))
        let values = outcome.curves.compactMap(\.valMetric)
        let firstBest = try XCTUnwrap(outcome.curves.first { $0.valMetric == values.max() })
        XCTAssertEqual(bestStep, firstBest.step, "the first evaluation reaching the best validation accuracy")

        let stopped = try Trainer(spec: TinyJob.spec(steps: bestStep, evalEvery: 3)).run()
        for name in ["loss", "accuracy"] {
            let atBest = try XCTUnwrap(outcome.metrics["test_at_best_val_\(name)"], name)
            XCTAssertEqual(atBest, try XCTUnwrap(stopped.metrics["test_\(name)"]), accuracy: 1e-9, name)
        }
    }
}
