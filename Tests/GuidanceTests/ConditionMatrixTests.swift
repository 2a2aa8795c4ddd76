import Config
import Foundation
@testable import Guidance
import Sweep
import XCTest

/// Every condition runs end to end on every synthetic task (and a text file for the language model), through the
/// same `JobRunner` the workers use: a few steps of tiny models, each ending `ok` with its task's metrics.
final class ConditionMatrixTests: XCTestCase {
    struct Case {
        let task: TaskSpec
        let target: ModelSpec
        let guide: ModelSpec
        let metric: String
    }

    func cases(textFile: URL) -> [Case] {
        let rnn = ModelSpec(family: "rnn", options: ["layers": 1, "hidden": 8, "embed": 8])
        let transformer = ModelSpec(family: "transformer", options: ["layers": 1, "width": 8, "heads": 2, "ff": 16])
        return [
            Case(task: TaskSpec(name: "mnist1d", options: ["samples": 200]),
                 target: ModelSpec(family: "fcn", options: ["depth": 2, "width": 16]),
                 guide: ModelSpec(family: "cnn", options: ["depth": 2, "channels": 4]), metric: "test_accuracy"),
            Case(task: TaskSpec(name: "copy-paste", options: ["min_length": 2, "max_length": 4, "train_size": 64,
                                                              "validation_size": 16, "test_size": 16]),
                 target: rnn, guide: transformer, metric: "test_token_accuracy"),
            Case(task: TaskSpec(name: "parity", options: ["min_length": 2, "max_length": 6, "train_size": 64,
                                                          "validation_size": 16, "test_size": 16]),
                 target: transformer, guide: rnn, metric: "test_accuracy"),
            Case(task: TaskSpec(name: "modular-addition", options: ["modulus": 7]),
                 target: ModelSpec(family: "mixer", options: ["layers": 1, "width": 8, "token_hidden": 8, "channel_hidden": 8]),
                 guide: ModelSpec(family: "lstm", options: ["layers": 1, "hidden": 8, "embed": 8]), metric: "test_accuracy"),
            Case(task: TaskSpec(name: "char-lm", options: ["path": .string(textFile.path), "sequence_length": 8]),
                 target: ModelSpec(family: "lstm", options: ["layers": 1, "hidden": 8, "embed": 8]),
                 guide: transformer, metric: "test_perplexity"),
        ]
    }

    func testEveryConditionOnEveryTask() throws {
        let text = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-lm-\(getpid()).txt")
        try String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 40).write(to: text, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: text) }
        let training = TrainingConfig(steps: 3, batchSize: 8, evalEvery: 3, evalBatches: 1)
        let guidance = GuidanceConfig(initSteps: 1, noiseSteps: 2)
        for c in cases(textFile: text) {
            for condition in Condition.allCases {
                let spec = JobSpec(task: c.task, target: c.target, guide: condition.usesGuide ? c.guide : nil, condition: condition,
                                   guideState: condition.usesGuide ? .untrained : nil, seed: 1, training: training,
                                   guidance: guidance.normalized(for: condition))
                let (record, _) = JobRunner.run(spec, worker: WorkerRef(id: "test", host: "localhost"), protocolVersion: 0)
                let label = "\(c.task.name) \(c.target.family) \(condition.rawValue)"
                XCTAssertEqual(record.status, .ok, label)
                XCTAssertNotNil(record.metrics[c.metric], "\(label): \(record.metrics.keys.sorted())")
                XCTAssertFalse(record.curves.isEmpty, label)
                if condition == .guided || condition == .guidedInit || condition == .noiseWarmup {
                    XCTAssertFalse(record.mapping.isEmpty, "\(label) has no tap mapping")
                }
            }
        }
    }
}
