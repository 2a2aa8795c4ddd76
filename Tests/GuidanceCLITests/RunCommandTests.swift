import Foundation
import Sweep
import XCTest

/// `guidance run` end to end on a tiny MNIST-1D task: the record it writes, guide training and a trained-guide run.
final class RunCommandTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    static let task = ["--task", "mnist1d", "--task-opt", "samples=600"]
    static let fcn = ["--target-opt", "depth=2", "--target-opt", "width=32"]
    static let short = ["--steps", "6", "--batch-size", "32", "--eval-every", "3", "--threads", "1", "--quiet"]

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `guidance run` with `arguments` writing its record to `name`; returns the record as decoded JSON and typed.
    func run(_ arguments: [String], record name: String, file: StaticString = #filePath, line: UInt = #line) throws -> ([String: Any], JobRecord) {
        let result = try GuidanceExecutable.run(["run"] + arguments + ["--out", path(name)])
        XCTAssertEqual(result.status, 0, result.standardOutput + result.standardError, file: file, line: line)
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], file: file, line: line)
        return (json, try JSONDecoder().decode(JobRecord.self, from: data))
    }

    func testBaselineRunWritesACompleteRecord() throws {
        let (json, record) = try run(["--target", "fcn"] + Self.task + Self.fcn + Self.short + ["--seed", "3"], record: "baseline.json")
        XCTAssertEqual((json["status"] as? [String: Any])?["state"] as? String, "ok")
        XCTAssertEqual(record.status, .ok)
        XCTAssertEqual(record.spec.seed, 3)
        XCTAssertEqual(record.spec.condition, .baseline)
        XCTAssertEqual(record.spec.task, TaskSpec(name: "mnist1d", options: ["samples": .int(600)]))
        XCTAssertEqual(record.spec.training.steps, 6)
        XCTAssertEqual(record.id, record.spec.id, "the id is the spec's content hash")
        for key in ["train_loss", "train_accuracy", "val_loss", "val_accuracy", "test_loss", "test_accuracy"] {
            let value = try XCTUnwrap(record.metrics[key], "metric \(key) missing")
            XCTAssertTrue(value.isFinite && value >= 0, "\(key) = \(value)")
        }
        XCTAssertEqual(record.curves.map(\.step), [3, 6])
        XCTAssertTrue(record.curves.allSatisfy { $0.trainLoss != nil && $0.valLoss != nil && $0.valMetric != nil })
        XCTAssertFalse(record.versions.package.isEmpty)
        XCTAssertFalse(record.versions.libtorch.isEmpty)
        XCTAssertEqual(record.device, "cpu")
        XCTAssertGreaterThan(record.wallSeconds, 0)
        XCTAssertGreaterThan(record.stepsPerSecond, 0)
        XCTAssertTrue(record.mapping.isEmpty)
        for key in ["id", "spec", "status", "metrics", "curves", "versions", "worker", "started_at", "finished_at"] {
            XCTAssertNotNil(json[key], "record JSON lacks \(key)")
        }
    }

    /// `--train-guide` writes a checkpoint; a trained-guide run uses it; a checkpoint of another family is refused.
    func testTrainGuideThenGuidedRunWithItsCheckpoint() throws {
        let cnn = ["--target-opt", "depth=2", "--target-opt", "channels=8"]
        let (_, guideRecord) = try run(["--target", "cnn", "--train-guide", "--checkpoint-out", path("cnn.safetensors")]
                                       + Self.task + cnn + Self.short, record: "guide.json")
        XCTAssertEqual(guideRecord.status, .ok)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("cnn.safetensors")))
        XCTAssertNotNil(guideRecord.artifact, "the record names the checkpoint's hash")

        let guideFlags = ["--guide", "cnn", "--guide-opt", "depth=2", "--guide-opt", "channels=8", "--guide-state", "trained"]
        let (_, guided) = try run(["--target", "fcn"] + guideFlags + ["--guide-checkpoint", path("cnn.safetensors")]
                                  + Self.task + Self.fcn + Self.short, record: "guided.json")
        XCTAssertEqual(guided.status, .ok)
        XCTAssertEqual(guided.spec.condition, .guided)
        XCTAssertEqual(guided.spec.guideState, .trained)
        XCTAssertEqual(guided.spec.guide?.family, "cnn")
        XCTAssertFalse(guided.mapping.isEmpty)
        XCTAssertNotNil(guided.metrics["guidance_loss"])
        XCTAssertTrue(guided.curves.allSatisfy { $0.guidanceLoss != nil })

        // The same job with a checkpoint saved from a different guide architecture fails before training.
        let wrong = try GuidanceExecutable.run(["run", "--target", "fcn", "--guide", "cnn", "--guide-opt", "depth=3", "--guide-state", "trained",
                                                "--guide-checkpoint", path("cnn.safetensors")] + Self.task + Self.fcn + Self.short)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.standardOutput.contains("saved from model"), wrong.standardOutput + wrong.standardError)
    }

    /// The issue-14 options reach the job's spec through `run`, and bad values exit non-zero naming the flag.
    func testGuidanceOptionsReachTheSpec() throws {
        let (_, record) = try run(["--target", "fcn", "--guide", "cnn", "--guide-opt", "depth=2", "--condition", "guided-shuffled",
                                   "--epsilon", "1e-6", "--epsilon-mode", "outside", "--cka-batch", "16"]
                                  + Self.task + Self.fcn + Self.short, record: "shuffled.json")
        XCTAssertEqual(record.status, .ok)
        XCTAssertEqual(record.spec.condition, .guidedShuffled)
        XCTAssertEqual(record.spec.guidance.epsilon, 1e-6)
        XCTAssertEqual(record.spec.guidance.epsilonMode, .outside)
        XCTAssertEqual(record.spec.guidance.ckaBatch, 16)
        for (flags, named) in [(["--cka-batch", "64"], "--cka-batch"), (["--epsilon-mode", "inside"], "--epsilon-mode"),
                               (["--readout", "tokens"], "--readout"), (["--batch-size", "1"], "--batch-size")] {
            let result = try GuidanceExecutable.run(["run", "--target", "fcn", "--guide", "cnn", "--condition", "guided-shuffled"]
                                                    + Self.task + Self.fcn + Self.short + flags)
            XCTAssertNotEqual(result.status, 0, "\(flags)")
            XCTAssertTrue((result.standardOutput + result.standardError).contains(named), "\(flags): \(result.standardError)")
        }
    }

    /// Any schema setting reaches the spec through `--set` (nested keys dotted), read with the manifest's checks; a
    /// bad one exits non-zero naming how it was written.
    func testSetReachesTheSpecWithTheManifestsChecks() throws {
        let (json, record) = try run(["--target", "fcn", "--set", "training.optimizer.weight_decay=0.05", "--set", "training.schedule=cosine",
                                      "--set", "training.clip_norm=2"] + Self.task + Self.fcn + Self.short, record: "set.json")
        XCTAssertEqual(record.status, .ok)
        XCTAssertEqual(record.spec.training.optimizer.weightDecay, 0.05)
        XCTAssertEqual(record.spec.training.schedule.name, .cosine)
        XCTAssertEqual(record.spec.training.clipNorm, 2)
        XCTAssertEqual(((json["spec"] as? [String: Any])?["training"] as? [String: Any])?["clip_norm"] as? Double, 2)
        // Applied in the schema's order, as a manifest reads them: the name (which sets adamw's weight-decay default)
        // before an explicit weight_decay typed ahead of it.
        let (_, ordered) = try run(["--target", "fcn", "--set", "training.optimizer.weight_decay=0.05", "--optimizer", "adamw"]
                                   + Self.task + Self.fcn + Self.short, record: "ordered.json")
        XCTAssertEqual(ordered.spec.training.optimizer, OptimizerConfig(name: .adamw, weightDecay: 0.05))
        for (flags, expected) in [(["--set", "training.optimizer.weight_decay=-1"], "--set training.optimizer.weight_decay=-1: expected a number ≥ 0"),
                                  (["--set", "training.optimiser.lr=0.1"], #"did you mean "optimizer""#),
                                  (["--set", "guidance.alpha=0.5", "--alpha", "1"], "guidance.alpha is already set by --alpha 1"),
                                  (["--set", "training.schedule=step"], "training.schedule.step_size: the step schedule needs step_size"),
                                  (["--lr", "0.1", "--set", "training.optimizer=sgd"], "training.optimizer and training.optimizer.lr (--lr 0.1) overlap")] {
            let result = try GuidanceExecutable.run(["run", "--target", "fcn"] + Self.task + Self.fcn + Self.short + flags)
            XCTAssertNotEqual(result.status, 0, "\(flags)")
            XCTAssertTrue((result.standardOutput + result.standardError).contains(expected), "\(flags): \(result.standardError)")
        }
    }
}
