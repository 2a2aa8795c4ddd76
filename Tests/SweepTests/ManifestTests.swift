import Foundation
import Sweep
import XCTest

final class ManifestTests: XCTestCase {
    func testBriefManifestDecodes() throws {
        let manifest = try decodeManifest(briefManifest)
        XCTAssertEqual(manifest.name, "demo")
        XCTAssertEqual(manifest.seeds, [0, 1, 2])
        XCTAssertEqual(manifest.tasks, [TaskSpec(name: "mnist1d", options: ["train": 4000])])
        XCTAssertEqual(manifest.targets.map(\.label), ["deep-fcn"])
        // depth 8 and width 256 are fcn's defaults: normalised away, so the job is the same as `{family: fcn}`.
        XCTAssertEqual(manifest.targets[0].options, [:])
        XCTAssertEqual(manifest.guides.map(\.family), ["cnn"])
        XCTAssertEqual(manifest.conditions, [.baseline, .guided, .guidedInit])
        XCTAssertEqual(manifest.trainings.map(\.optimizer.lr), [1e-3, 3e-4])
        XCTAssertEqual(manifest.trainings.map(\.steps), [2000, 2000])
        XCTAssertEqual(manifest.guidances.map(\.alpha), [0.5, 1.0])
        XCTAssertEqual(manifest.kinds, [.train])
    }

    func testDefaultsWhenBlocksAreAbsent() throws {
        let manifest = try decodeManifest("tasks: [parity]\ntargets: [{family: transformer, layers: 1}]\n")
        XCTAssertEqual(manifest.name, "test")
        XCTAssertEqual(manifest.seeds, [0])
        XCTAssertEqual(manifest.conditions, [.baseline])
        XCTAssertEqual(manifest.trainings, [TrainingConfig()])
        XCTAssertEqual(manifest.guidances, [GuidanceConfig()])
        XCTAssertEqual(manifest.targets[0].family, "transformer")
    }

    func testSeedCountAndShorthands() throws {
        let manifest = try decodeManifest("""
            seeds: 4
            tasks: [parity]
            targets: [{family: rnn}]
            training: {optimizer: adamw, schedule: cosine}
            """)
        XCTAssertEqual(manifest.seeds, [0, 1, 2, 3])
        XCTAssertEqual(manifest.trainings[0].optimizer.name, .adamw)
        XCTAssertEqual(manifest.trainings[0].optimizer.weightDecay, 0.01)
        XCTAssertEqual(manifest.trainings[0].schedule.name, .cosine)
    }

    func testExplicitWeightDecayOverridesOptimizerDefaultAcrossAnAxis() throws {
        let manifest = try decodeManifest("""
            tasks: [parity]
            targets: [{family: rnn}]
            training: {optimizer: {name: [adam, adamw], weight_decay: 0.1}}
            """)
        XCTAssertEqual(manifest.trainings.map(\.optimizer.weightDecay), [0.1, 0.1])
    }

    func testAxesOnModelOptionsAndListValuedFields() throws {
        let manifest = try decodeManifest("""
            tasks: [{name: copy-paste, max_len: [20, 40]}]
            models:
              mlp: {family: fcn, depth: [4, 8], hidden: [[64, 64]]}
            targets: [mlp]
            guides: [{family: transformer}]
            conditions: [guided]
            guidance:
              mapping: [auto, [{guide: 0, target: last.linear}]]
            """)
        XCTAssertEqual(manifest.tasks.count, 2)
        XCTAssertEqual(manifest.targets.map(\.label), ["mlp[depth=4]", "mlp[depth=8]"])
        XCTAssertEqual(manifest.targets[0].options["hidden"], [64, 64])
        XCTAssertEqual(manifest.guidances.map(\.mapping), [
            .auto, .explicit([LayerPair(guide: .index(0), target: .name("last.linear"))]),
        ])
    }

    func testTestBlockMakesTestJobs() throws {
        let manifest = try decodeManifest("""
            tasks: [none]
            targets: [{family: fake}]
            test: {sleep_ms: 20, fail_times: [0, 2]}
            """)
        XCTAssertEqual(manifest.kinds, [.test(SimulatedJobOptions(sleepMs: 20)), .test(SimulatedJobOptions(sleepMs: 20, failTimes: 2))])
    }

    // MARK: Errors

    func testMisspelledConditionNamesLineAndSuggests() throws {
        let found = issues("""
            tasks: [mnist1d]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [baseline, guidid]
            """)
        XCTAssertEqual(found.count, 1, "\(found)")
        let issue = try XCTUnwrap(found.first)
        XCTAssertEqual(issue.file, "test.yaml")
        XCTAssertEqual(issue.line, 4)
        XCTAssertEqual(issue.path, "conditions[1]")
        XCTAssertTrue(issue.message.contains("guidid"))
        XCTAssertEqual(issue.hint, "did you mean \"guided\"?")
        XCTAssertTrue(issue.description.hasPrefix("test.yaml:4:"))
    }

    func testUnknownKeysAreReportedWithPathAndLine() throws {
        let found = issues("""
            tasks: [mnist1d]
            targets: [{family: fcn}]
            training:
              steps: 10
              optimizer:
                name: adam
                learning_rate: 0.1
            seed: [1]
            """)
        let keys = found.map(\.path).sorted()
        XCTAssertEqual(keys, ["seed", "training.optimizer.learning_rate"], "\(found)")
        let lr = try XCTUnwrap(found.first { $0.path == "training.optimizer.learning_rate" })
        XCTAssertEqual(lr.line, 7)
        let seed = try XCTUnwrap(found.first { $0.path == "seed" })
        XCTAssertEqual(seed.hint, "did you mean \"seeds\"?")
    }

    func testBadValuesSayWhatWasFoundAndWhatIsAllowed() throws {
        let found = issues("""
            tasks: [mnist1d]
            targets: [{family: fcn}]
            training: {steps: -5, batch_size: [32, 0], optimizer: {lr: [1e-3, fast]}}
            guidance: {alpha: -1, similarity: cka}
            """)
        let byPath = Dictionary(found.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertTrue(byPath["training.steps"]?.message.contains("-5") ?? false, "\(found)")
        XCTAssertTrue(byPath["training.steps"]?.message.contains("≥ 1") ?? false)
        XCTAssertNotNil(byPath["training.batch_size[1]"])
        XCTAssertTrue(byPath["training.optimizer.lr[1]"]?.message.contains("\"fast\"") ?? false)
        XCTAssertNotNil(byPath["guidance.alpha"])
        XCTAssertTrue(byPath["guidance.similarity"]?.hint?.contains("linear-cka") ?? false)
        XCTAssertTrue(found.allSatisfy { $0.line == 3 || $0.line == 4 })
    }

    func testUnknownTargetAndMissingGuides() throws {
        let found = issues("""
            tasks: [mnist1d]
            models:
              deep-fcn: {family: fcn, depth: 8}
            targets: [deep-fnc]
            conditions: [baseline, guided]
            """)
        let target = try XCTUnwrap(found.first { $0.path == "targets[0]" }, "\(found)")
        XCTAssertEqual(target.line, 4)
        XCTAssertEqual(target.hint, "did you mean \"deep-fcn\"?")
        let guides = try XCTUnwrap(found.first { $0.path == "conditions" })
        XCTAssertTrue(guides.message.contains("needs a guide"))
        XCTAssertEqual(guides.line, 5)
    }

    func testMissingRequiredKeysAndFamily() {
        let found = issues("name: x\nmodels: {a: {depth: 3}}\n")
        let paths = Set(found.map(\.path))
        XCTAssertTrue(paths.isSuperset(of: ["tasks", "targets", "models.a"]), "\(found)")
    }

    func testYAMLSyntaxErrorHasALine() throws {
        let found = issues("tasks: [mnist1d\ntargets: x\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertNotNil(found.first?.line)
        XCTAssertTrue(found.first?.message.contains("not valid YAML") ?? false)
    }

    func testDuplicateKeysAreRefused() {
        let found = issues("tasks: [a]\ntargets: [{family: fcn}]\ntraining: {steps: 1, steps: 2}\n")
        XCTAssertEqual(found.map(\.path), ["training.steps"])
        XCTAssertTrue(found[0].message.contains("duplicate"))
    }

    func testGuidedInitMustBeShorterThanTheRun() {
        let found = issues("""
            tasks: [a]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [guided-init]
            training: {steps: 100}
            """)
        XCTAssertEqual(found.map(\.path), ["guidance.init_steps"])
    }

    func testValidatorMessagesAreReportedAtTheModel() throws {
        struct NoFCNForSequences: SpecValidator {
            func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String] {
                model.family == "fcn" && task.name == "lm" ? ["fcn cannot be a causal language model"] : []
            }
        }
        let found = issues("""
            tasks: [lm, mnist1d]
            models:
              net: {family: fcn}
            targets: [net, {family: rnn}]
            """, validators: [NoFCNForSequences()])
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found[0].path, "models.net")
        XCTAssertEqual(found[0].line, 3)
        XCTAssertTrue(found[0].message.contains("causal language model"))
        XCTAssertTrue(found[0].message.contains("lm"))
    }
}
