import Foundation
@testable import Guidance
import Models
import NN
import Sweep
import Torch
import XCTest

/// Jobs that cannot run are refused before training with an error that says why; a diverging run is an outcome.
final class TrainerRefusalTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try TinyJob.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// Writes a checkpoint of a freshly built `model` on `task`, as a guide-training job would.
    func checkpoint(of model: ModelSpec, task: TaskSpec, name: String) throws -> URL {
        let data = try TaskData.load(name: task.name, options: task.options, device: .cpu)
        let built = try ModelBuilder.build(family: model.family, options: model.options, input: data.modelInput,
                                           output: data.modelOutput, init: ParameterInit(seed: 99, device: .cpu))
        let url = directory.appendingPathComponent(name)
        try GuideCheckpoint.encode(built, spec: model, task: task).write(to: url)
        return url
    }

    func assertRefused(_ spec: JobSpec, options: Trainer.Options = Trainer.Options(), mentions words: [String],
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Trainer(spec: spec, options: options), file: file, line: line) { error in
            let text = "\(error)"
            for word in words { XCTAssertTrue(text.contains(word), "\"\(text)\" does not mention \(word)", file: file, line: line) }
        }
        // Through the runner: a failed, non-retryable record with nothing trained.
        let record = JobRunner.run(spec, options: options, worker: WorkerRef(id: "t", host: "h"), protocolVersion: 0).record
        guard case .failed(_, let retryable) = record.status else {
            return XCTFail("status \(record.status), expected failed", file: file, line: line)
        }
        XCTAssertFalse(retryable, file: file, line: line)
        XCTAssertTrue(record.curves.isEmpty && record.metrics.isEmpty, file: file, line: line)
    }

    func testTrainedGuideWithoutCheckpointIsRefused() {
        assertRefused(TinyJob.spec(condition: .guided, guideState: .trained), mentions: ["no checkpoint", "--train-guide"])
    }

    func testMissingCheckpointFileIsRefused() {
        let path = directory.appendingPathComponent("absent.safetensors")
        assertRefused(TinyJob.spec(condition: .guided, guideState: .trained), options: Trainer.Options(guideCheckpoint: path),
                      mentions: ["guide checkpoint", "absent.safetensors"])
    }

    func testCheckpointOfAnotherFamilyIsRefused() throws {
        let url = try checkpoint(of: TinyJob.target, task: TinyJob.task, name: "fcn.safetensors")
        assertRefused(TinyJob.spec(condition: .guided, guideState: .trained), options: Trainer.Options(guideCheckpoint: url),
                      mentions: ["fcn.safetensors", "saved from model", "\"fcn\"", "\"cnn\""])
    }

    func testCheckpointOfAnotherTaskIsRefused() throws {
        let otherTask = TaskSpec(name: "mnist1d", options: ["samples": .int(700)])
        let url = try checkpoint(of: TinyJob.guide, task: otherTask, name: "cnn-700.safetensors")
        assertRefused(TinyJob.spec(condition: .guided, guideState: .trained), options: Trainer.Options(guideCheckpoint: url),
                      mentions: ["trained on task", "700", "600"])
    }

    /// The positive control: the guide's own checkpoint on the job's task loads, and the guide holds its values.
    func testMatchingCheckpointLoadsIntoTheGuide() throws {
        let url = try checkpoint(of: TinyJob.guide, task: TinyJob.task, name: "cnn.safetensors")
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided, guideState: .trained), options: Trainer.Options(guideCheckpoint: url))
        let saved = try SafeTensors.load(from: url).mapValues { try $0.doubles() }
        XCTAssertEqual(try TinyJob.snapshot(XCTUnwrap(trainer.guide)), saved)
    }

    func testMappingNamingAMissingTapListsTheAvailableOnes() throws {
        let guideTaps = try TinyJob.taps(of: TinyJob.guide)
        let targetTaps = try TinyJob.taps(of: TinyJob.target)
        let badGuide = GuidanceConfig(mapping: .explicit([LayerPair(guide: .name("layers.9.conv"), target: .index(0))]))
        assertRefused(TinyJob.spec(condition: .guided, guidance: badGuide), mentions: ["layers.9.conv"] + guideTaps)
        let badTarget = GuidanceConfig(mapping: .explicit([LayerPair(guide: .index(0), target: .name("blocks.7.linear"))]))
        assertRefused(TinyJob.spec(condition: .guided, guidance: badTarget), mentions: ["blocks.7.linear"] + targetTaps)
        let badIndex = GuidanceConfig(mapping: .explicit([LayerPair(guide: .index(0), target: .index(targetTaps.count))]))
        assertRefused(TinyJob.spec(condition: .guided, guidance: badIndex), mentions: ["target tap \(targetTaps.count)"])

        // A valid explicit mapping is used as given, and recorded by name.
        let good = GuidanceConfig(mapping: .explicit([LayerPair(guide: .name(guideTaps[0]), target: .index(1))]))
        let outcome = try Trainer(spec: TinyJob.spec(condition: .guided, steps: 2, guidance: good)).run()
        XCTAssertEqual(outcome.mapping, [TapPair(guide: guideTaps[0], target: targetTaps[1])])
    }

    /// SGD at lr 1e6 blows the loss up: the run ends `diverged` at the step where the loss stopped being finite,
    /// with the last finite loss, and the runner records it without crashing.
    func testDivergingRunEndsDivergedWithTheStep() throws {
        let spec = TinyJob.spec(steps: 50, optimizer: OptimizerConfig(name: .sgd, lr: 1e6))
        let record = JobRunner.run(spec, worker: WorkerRef(id: "t", host: "h"), protocolVersion: 0).record
        guard case .diverged(let step, let lastFinite) = record.status else {
            return XCTFail("status \(record.status), expected diverged")
        }
        XCTAssertGreaterThan(step, 1)
        XCTAssertLessThanOrEqual(step, 50)
        XCTAssertTrue(lastFinite.isFinite)
        XCTAssertTrue(record.metrics.isEmpty, "a diverged run has no final evaluation")
        XCTAssertTrue(record.curves.allSatisfy { $0.step < step })
        XCTAssertNil(JobRunner.run(spec, options: Trainer.Options(saveCheckpoint: true), worker: WorkerRef(id: "t", host: "h"),
                                   protocolVersion: 0).checkpoint, "a diverged target must not become a guide")
        XCTAssertNoThrow(try JSONEncoder().encode(record))
    }
}

extension TinyJob {
    /// Tap names of `model` built for the tiny task.
    static func taps(of model: ModelSpec) throws -> [String] {
        let data = try TaskData.load(name: task.name, options: task.options, device: .cpu)
        return try ModelBuilder.build(family: model.family, options: model.options, input: data.modelInput, output: data.modelOutput,
                                      init: ParameterInit(seed: 0, device: .cpu)).describeTaps().map(\.name)
    }
}
