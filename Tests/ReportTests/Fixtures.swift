import Config
import Foundation
import Report
import Sweep
import XCTest

/// Records built in the test, with values chosen so that every statistic can be worked out by hand.
enum Fixtures {
    static let task = TaskSpec(name: "parity", options: ["length": .int(20)])
    static let fcn = ModelSpec(family: "fcn", options: ["depth": .int(4)], label: "deep-fcn")
    static let rnn = ModelSpec(family: "rnn", label: "rnn")
    static let cnn = ModelSpec(family: "cnn", label: "cnn")
    static let training = TrainingConfig(steps: 100)

    static func record(
        target: ModelSpec, guide: ModelSpec? = nil, condition: Condition = .baseline, state: GuideState? = nil,
        seed: Int, metrics: [String: Double] = [:], status: JobStatus = .ok, training: TrainingConfig = training,
        curves: [CurvePoint] = [], predictions: [Int]? = nil, host: String = "node1", wall: Double = 10
    ) -> JobRecord {
        let spec = JobSpec(task: task, target: target, guide: guide, condition: condition, guideState: state,
                           seed: seed, training: training, guidance: GuidanceConfig().normalized(for: condition))
        return JobRecord(
            id: spec.id, spec: spec, status: status, metrics: metrics, curves: curves, wallSeconds: wall,
            stepsPerSecond: 10, worker: WorkerRef(id: "w-\(host)", host: host),
            versions: Versions(package: "0.1.0", libtorch: "1.13.1", protocol: 1), device: "cpu",
            startedAt: Timestamp(secondsSince1970: 1_800_000_000 + Double(seed)),
            finishedAt: Timestamp(secondsSince1970: 1_800_000_000 + Double(seed) + wall), predictions: predictions)
    }

    static func accuracy(_ a: Double, loss: Double? = nil) -> [String: Double] {
        var m = ["test_accuracy": a]
        if let loss { m["test_loss"] = loss }
        return m
    }

    /// The sweep the statistics tests read:
    /// - deep-fcn baseline, seeds 0–2: accuracy 0.50, 0.60, 0.70; loss 1.0, 2.0, 3.0
    /// - deep-fcn ← rnn guided/trained, seeds 0–3: 0.55, 0.62, 0.69, 0.90 (seed 3 has no baseline yet);
    ///   loss 0.8, 2.5, 2.9
    /// - deep-fcn ← rnn guided/untrained: seed 0 0.40, seed 1 diverged, seed 2 0.80
    /// - cnn baseline seed 0: 0.30; cnn ← rnn guided/trained seed 0: 0.45 (one pair)
    /// - cnn ← rnn guided/untrained seed 0 failed
    static var sweep: [JobRecord] {
        [
            record(target: fcn, seed: 0, metrics: accuracy(0.50, loss: 1.0)),
            record(target: fcn, seed: 1, metrics: accuracy(0.60, loss: 2.0)),
            record(target: fcn, seed: 2, metrics: accuracy(0.70, loss: 3.0)),
            record(target: fcn, guide: rnn, condition: .guided, state: .trained, seed: 0, metrics: accuracy(0.55, loss: 0.8)),
            record(target: fcn, guide: rnn, condition: .guided, state: .trained, seed: 1, metrics: accuracy(0.62, loss: 2.5)),
            record(target: fcn, guide: rnn, condition: .guided, state: .trained, seed: 2, metrics: accuracy(0.69, loss: 2.9)),
            record(target: fcn, guide: rnn, condition: .guided, state: .trained, seed: 3, metrics: accuracy(0.90)),
            record(target: fcn, guide: rnn, condition: .guided, state: .untrained, seed: 0, metrics: accuracy(0.40)),
            record(target: fcn, guide: rnn, condition: .guided, state: .untrained, seed: 1,
                   status: .diverged(step: 40, lastFiniteLoss: 3.2)),
            record(target: fcn, guide: rnn, condition: .guided, state: .untrained, seed: 2, metrics: accuracy(0.80)),
            record(target: cnn, seed: 0, metrics: accuracy(0.30)),
            record(target: cnn, guide: rnn, condition: .guided, state: .trained, seed: 0, metrics: accuracy(0.45)),
            record(target: cnn, guide: rnn, condition: .guided, state: .untrained, seed: 0,
                   status: .failed(error: "out of memory", retryable: false)),
        ]
    }

    static func builder(_ records: [JobRecord] = sweep) -> MatrixBuilder {
        MatrixBuilder(index: RecordIndex(records: records))
    }

}

extension XCTestCase {
    /// A new empty directory, removed when the test ends.
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// The demo sweep (every job, or the first `limit`) in a temporary results directory.
    func demoSweepDirectory(limit: Int? = nil) throws -> URL {
        let dir = try temporaryDirectory()
        try DemoSweep.write(into: dir, limit: limit)
        return dir
    }
}
