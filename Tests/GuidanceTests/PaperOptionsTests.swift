import Config
import Foundation
@testable import Guidance
import Models
import Sweep
import Torch
import XCTest

/// The options the paper's controls and regime searches need, through the trainer and the manifest check:
/// the `input` guide family, `train_examples`, `init`.
final class PaperOptionsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func decode(_ yaml: String) throws -> Manifest {
        try Manifest.decode(yaml: yaml, file: "t.yaml", validators: [RegistrySpecValidator()])
    }

    private func assertRefused(_ yaml: String, mentions words: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try decode(yaml), file: file, line: line) { error in
            let text = "\(error)"
            for word in words { XCTAssertTrue(text.contains(word), "\"\(text)\" does not mention \(word)", file: file, line: line) }
        }
    }

    func testAnInputGuideTrainsATargetAlignedToTheInputOnEveryTap() throws {
        let input = ModelSpec(family: "input", options: ["taps": .int(8)])
        let trainer = try Trainer(spec: TinyJob.spec(condition: .guided, guide: input, steps: 10))
        let outcome = try trainer.run()
        XCTAssertEqual(outcome.status, .ok)
        // 8 identical guide taps onto the target's 2 taps: both target taps guided (the last guide tap landing on each).
        XCTAssertEqual(outcome.mapping.count, 2, "\(outcome.mapping)")
        XCTAssertEqual(EvenSpacing.pairs(guideTaps: 8, targetTaps: 2).map(\.target), [0, 1])
        // With the default single tap only the first target tap is guided (method.md §4, n_g = 1).
        let single = try Trainer(spec: TinyJob.spec(condition: .guided, guide: ModelSpec(family: "input", options: [:]), steps: 2))
        XCTAssertEqual(try single.run().mapping.count, 1)
    }

    func testTapsAtLeastTheTargetsCoverEveryTargetTap() {
        for targetTaps in [1, 3, 8, 48] {
            for guideTaps in [targetTaps, targetTaps + 1, 48, 64] where guideTaps >= targetTaps {
                XCTAssertEqual(Set(EvenSpacing.pairs(guideTaps: guideTaps, targetTaps: targetTaps).map(\.target)),
                               Set(0..<targetTaps), "\(guideTaps) guide taps onto \(targetTaps)")
            }
        }
    }

    func testTheInputFamilyIsRefusedAsTargetTrainedGuideOrDistillTeacher() throws {
        let head = "tasks: [{name: mnist1d, samples: 600}]\nmodels: {fcn: {family: fcn, depth: 2}, inp: {family: input, taps: 4}}\n"
        assertRefused(head + "targets: [inp]\n", mentions: ["models.inp", "target inp", "can only be a guide"])
        assertRefused(head + "targets: [fcn]\nguides: [inp]\nconditions: [guided]\n", mentions: ["guide_states", "trained"])
        assertRefused(head + "targets: [fcn]\nguides: [inp]\nconditions: [distill]\nguide_states: [untrained]\n",
                      mentions: ["distill"])
        assertRefused(head + "targets: [fcn]\nguides: [{family: input, init: kaiming}]\nguide_states: [untrained]\n",
                      mentions: ["init"])
        let plan = Plan(try decode(head + "targets: [fcn]\nguides: [inp]\nconditions: [baseline, guided, guided-init, noise-warmup]\nguide_states: [untrained]\ntraining: {steps: 400}\n"))
        XCTAssertEqual(plan.jobs.count, 4)
    }

    func testTrainExamplesIsCheckedBeforeAnyJobAndATrainedGuideUsesTheSameN() throws {
        assertRefused("tasks: [{name: mnist1d, train_examples: 4000}]\ntargets: [{family: fcn}]\n",
                      mentions: ["train_examples", "3600"])
        assertRefused("tasks: [{name: mnist1d, train_examples: 0}]\ntargets: [{family: fcn}]\n", mentions: ["train_examples"])
        let plan = Plan(try decode("""
            tasks: [{name: mnist1d, train_examples: [500, null]}]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [guided]
            guide_states: [trained]
            """))
        let guided = plan.jobs.filter { $0.spec.condition == .guided }
        XCTAssertEqual(guided.count, 2)
        for job in guided {
            let training = try XCTUnwrap(plan.jobs.first { $0.id == job.dependencies.first })
            XCTAssertEqual(training.spec.task, job.spec.task, "the guide is trained on the target's task, train_examples included")
        }
        XCTAssertEqual(Set(guided.map { $0.spec.task.options["train_examples"] }), [.int(500), nil])
    }

    func testATrainedTargetSeesOnlyTheFirstNExamples() throws {
        let restricted = TaskSpec(name: "mnist1d", options: ["samples": .int(600), "train_examples": .int(50)])
        let trainer = try Trainer(spec: TinyJob.spec(task: restricted, steps: 2))
        let full = try TaskData.load(name: "mnist1d", options: ["samples": .int(600)], device: .cpu)
        XCTAssertEqual(trainer.data.dataset.train.count, 50)
        XCTAssertEqual(trainer.data.dataset.train, full.dataset.train.subset(0..<50, name: "train"))
        XCTAssertEqual(trainer.data.dataset.test, full.dataset.test)
        XCTAssertEqual(try trainer.run().status, .ok)
    }

    func testANonDefaultInitChangesTheTargetButNotTheJobOfTheDefault() throws {
        let kaiming = ModelSpec(family: "fcn", options: ["depth": .int(2), "width": .int(32), "batch_norm": .bool(false), "init": "kaiming"])
        let pytorch = ModelSpec(family: "fcn", options: ["depth": .int(2), "width": .int(32), "batch_norm": .bool(false), "init": "pytorch"])
        XCTAssertEqual(TinyJob.spec(target: pytorch).normalized.id, TinyJob.spec().normalized.id)
        XCTAssertNotEqual(TinyJob.spec(target: kaiming).normalized.id, TinyJob.spec().normalized.id)
        let a = try TinyJob.snapshot(Trainer(spec: TinyJob.spec(target: kaiming)).target)
        let b = try TinyJob.snapshot(Trainer(spec: TinyJob.spec()).target)
        XCTAssertNotEqual(a["head.weight"], b["head.weight"])
        XCTAssertEqual(a["head.bias"].map { Set($0) }, [0])
    }

    /// Every manifest shipped under manifests/ (paper/ included) decodes with the registry checks and plans.
    func testEveryShippedManifestPlans() throws {
        let directory = Self.root.appendingPathComponent("manifests")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: directory.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertTrue(files.contains { $0.hasPrefix("paper/") }, "\(files)")
        for name in files {
            let url = directory.appendingPathComponent(name)
            let manifest = try Manifest.load(contentsOf: url, validators: [RegistrySpecValidator()])
            XCTAssertFalse(Plan(manifest).jobs.isEmpty, name)
        }
    }
}
