import Config
import Foundation
import Sweep
import XCTest

final class JobSpecTests: XCTestCase {
    func testConfigValueRoundTripsThroughJSON() throws {
        let value: ConfigValue = ["i": 3, "d": 2.5, "s": "x", "b": true, "n": nil, "a": [1, "two", [3.5]], "o": ["k": -1]]
        let data = try JSONEncoder().encode(value)
        XCTAssertEqual(try JSONDecoder().decode(ConfigValue.self, from: data), value)
    }

    func testSpecRoundTripsThroughJSON() throws {
        let spec = fullySetSpec()
        let data = try JSONCoding.makeEncoder().encode(spec)
        XCTAssertEqual(try JSONCoding.makeDecoder().decode(JobSpec.self, from: data), spec)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"batch_size\":64"))
    }

    func testMissingFieldsDecodeToDocumentedDefaults() throws {
        let training = try JSONDecoder().decode(TrainingConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(training.steps, 1000)
        XCTAssertEqual(training.batchSize, 256)
        XCTAssertEqual(training.optimizer.name, .adam)
        XCTAssertEqual(training.optimizer.lr, 1e-3)
        XCTAssertEqual(training.optimizer.weightDecay, 0)
        XCTAssertEqual(training.evalEvery, 100)
        XCTAssertNil(training.evalBatches)
        XCTAssertEqual(training.device, "cpu")
        let adamw = try JSONDecoder().decode(OptimizerConfig.self, from: Data(#"{"name":"adamw"}"#.utf8))
        XCTAssertEqual(adamw.weightDecay, 0.01)
        let guidance = try JSONDecoder().decode(GuidanceConfig.self, from: Data("{}".utf8))
        XCTAssertEqual(guidance, GuidanceConfig())
        XCTAssertEqual(guidance.alpha, 1.0)
        XCTAssertEqual(guidance.initSteps, 300)
        XCTAssertEqual(guidance.temperature, 4.0)
    }

    func testIDIsSixteenHexAndStable() {
        let id = fullySetSpec().id
        XCTAssertEqual(id.rawValue.count, 16)
        XCTAssertTrue(id.rawValue.allSatisfy { "0123456789abcdef".contains($0) })
        XCTAssertEqual(id, fullySetSpec().id)
        // The id is the prefix of the SHA-256 of the canonical JSON.
        XCTAssertEqual(id.rawValue, String(ContentHash.sha256Hex(Data(CanonicalJSON.bytes(fullySetSpec()))).prefix(16)))
    }

    func testLabelDoesNotChangeTheID() {
        var renamed = fullySetSpec()
        renamed.target.label = "another-name"
        XCTAssertEqual(renamed.id, fullySetSpec().id)
    }

    func testEveryFieldChangesTheID() {
        let base = fullySetSpec()
        let mutations: [(String, (inout JobSpec) -> Void)] = [
            ("task.name", { $0.task.name = "parity" }),
            ("task.options", { $0.task.options["min_len"] = 21 }),
            ("target.family", { $0.target.family = "lstm" }),
            ("target.options", { $0.target.options["hidden"] = 129 }),
            ("guide", { $0.guide = nil }),
            ("guide.options", { $0.guide?.options["heads"] = 8 }),
            ("condition", { $0.condition = .guided }),
            ("guideState", { $0.guideState = .untrained }),
            ("seed", { $0.seed = 8 }),
            ("steps", { $0.training.steps += 1 }),
            ("batchSize", { $0.training.batchSize = 65 }),
            ("optimizer.name", { $0.training.optimizer.name = .sgd }),
            ("lr", { $0.training.optimizer.lr = 3.1e-4 }),
            ("weightDecay", { $0.training.optimizer.weightDecay = 0.06 }),
            ("momentum", { $0.training.optimizer.momentum = 0.7 }),
            ("beta1", { $0.training.optimizer.beta1 = 0.8 }),
            ("beta2", { $0.training.optimizer.beta2 = 0.97 }),
            ("schedule.name", { $0.training.schedule.name = .cosine }),
            ("warmup", { $0.training.schedule.warmupSteps = 11 }),
            ("stepSize", { $0.training.schedule.stepSize = 101 }),
            ("gamma", { $0.training.schedule.gamma = 0.4 }),
            ("clipNorm", { $0.training.clipNorm = nil }),
            ("evalEvery", { $0.training.evalEvery = 51 }),
            ("evalBatches", { $0.training.evalBatches = nil }),
            ("device", { $0.training.device = "cpu" }),
            ("threads", { $0.training.threads = 3 }),
            ("recordPredictions", { $0.training.recordPredictions = false }),
            ("alpha", { $0.guidance.alpha = 0.6 }),
            ("similarity", { $0.guidance.similarity = .rsa }),
            ("rbfSigma", { $0.guidance.rbfSigma = 0.7 }),
            ("mapping", { $0.guidance.mapping = .auto }),
            ("mapping pair", { $0.guidance.mapping = .explicit([LayerPair(guide: .index(1), target: .name("rnn.0"))]) }),
            ("guideMode", { $0.guidance.guideMode = .eval }),
            ("initSteps", { $0.guidance.initSteps = 151 }),
            ("noiseSteps", { $0.guidance.noiseSteps = 78 }),
            ("noiseMode", { $0.guidance.noiseMode = .guideOnly }),
            ("temperature", { $0.guidance.temperature = 3 }),
            ("epsilon", { $0.guidance.epsilon = 1e-7 }),
            ("kind", { $0.kind = .train }),
            ("kind.sleep", { $0.kind = .test(SimulatedJobOptions(sleepMs: 6, failTimes: 1, failPermanent: true, diverge: true)) }),
        ]
        var seen: Set<JobID> = [base.id]
        for (name, mutate) in mutations {
            var spec = base
            mutate(&spec)
            XCTAssertTrue(seen.insert(spec.id).inserted, "changing \(name) did not give a new id")
        }
    }

    func testGuidanceNormalizationDropsKnobsTheConditionIgnores() {
        let tuned = GuidanceConfig(alpha: 0.3, initSteps: 100, noiseSteps: 50, temperature: 2)
        XCTAssertEqual(tuned.normalized(for: .baseline), GuidanceConfig())
        XCTAssertEqual(tuned.normalized(for: .guided), GuidanceConfig(alpha: 0.3))
        XCTAssertEqual(tuned.normalized(for: .guidedInit), GuidanceConfig(alpha: 0.3, initSteps: 100))
        // A noise-warmup spec always names its noise (its id changed when the warm-up stopped consuming batches).
        XCTAssertEqual(tuned.normalized(for: .noiseWarmup), GuidanceConfig(alpha: 0.3, noiseSteps: 50, noise: .clamped))
        XCTAssertEqual(tuned.normalized(for: .distill), GuidanceConfig(alpha: 0.3, temperature: 2))
    }

    func testRecordRoundTripsIncludingNonFiniteLosses() throws {
        let record = JobRecord(
            id: fullySetSpec().id, spec: fullySetSpec(), status: .diverged(step: 12, lastFiniteLoss: 2.5),
            mapping: [TapPair(guide: "a", target: "b")], metrics: ["val_loss": .nan, "train_loss": 1.5],
            curves: [CurvePoint(step: 1, trainLoss: 2), CurvePoint(step: 2, trainLoss: .infinity, valMetric: 0.5)],
            wallSeconds: 3, stepsPerSecond: 4, worker: WorkerRef(id: "w1", host: "h"),
            versions: Versions(package: "0.1", libtorch: "2.1", protocol: 1), device: "cpu",
            startedAt: Timestamp(secondsSince1970: 1_700_000_000.25), finishedAt: Timestamp(secondsSince1970: 1_700_000_010),
            predictions: [1, 2], artifact: String(repeating: "a", count: 64))
        let data = try JSONCoding.makeEncoder().encode(record)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains(#""started_at":"2023-11-14T22:13:20.250Z""#), text)
        let back = try JSONCoding.makeDecoder().decode(JobRecord.self, from: data)
        XCTAssertTrue(back.metrics["val_loss"]!.isNaN)
        XCTAssertEqual(back.status, record.status)
        XCTAssertEqual(back.curves[1].trainLoss, .infinity)
        XCTAssertEqual(back.startedAt, record.startedAt)
        XCTAssertEqual(back.spec, record.spec)
        let failed = try JSONCoding.makeDecoder().decode(JobStatus.self, from: Data(#"{"state":"failed","error":"x","retryable":true}"#.utf8))
        XCTAssertEqual(failed, .failed(error: "x", retryable: true))
    }
}
