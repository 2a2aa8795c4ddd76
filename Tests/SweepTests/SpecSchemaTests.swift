import Foundation
import Sweep
import XCTest

/// A settings type as a newcomer would write one: two knobs in ids since the start and one added later.
private struct ProbeSettings: SchemaDescribed, Codable, CanonicalEncodable {
    var steps = 10
    var rate = 0.5
    /// Added later: its default is the behaviour before it existed.
    var warmup = false
    /// Added with default 3, changed to 5 since: jobs that leave it out compute with 5 and must get new ids.
    var window = 5

    static let schema = SpecSchema<ProbeSettings>([
        .int("steps", \.steps, min: 1, written: .always, help: "Steps."),
        .double("rate", \.rate, .above(0), written: .always, help: "Rate."),
        .bool("warmup", \.warmup, help: "Warm up first."),
        .int("window", \.window, min: 1, written: .unless("3"), help: "Window."),
    ])

    init() {}
    init(from decoder: any Decoder) throws { self = try Self.schema.decode(from: decoder) }
    func encode(to encoder: any Encoder) throws { try Self.schema.encode(self, to: encoder) }
    func writeCanonical(to writer: inout CanonicalJSON.Writer) { Self.schema.writeCanonical(self, to: &writer) }
}

/// The schemas (`SpecSchema`) are the one description of the training and guidance knobs: JSON, the canonical form,
/// manifest reading and command-line setting all follow from them.
final class SpecSchemaTests: XCTestCase {
    /// A knob added with the default `written: .unlessDefault` leaves the canonical form (so every job id) of settings
    /// that keep its default unchanged, and enters it when set.
    func testAKnobAddedLaterKeepsEveryEarlierID() throws {
        var settings = ProbeSettings()
        settings.window = 3
        XCTAssertEqual(CanonicalJSON.string(settings), #"{"rate":0.5,"steps":10}"#)
        settings.warmup = true
        XCTAssertEqual(CanonicalJSON.string(settings), #"{"rate":0.5,"steps":10,"warmup":true}"#)
        // A default changed after the knob existed: the old default keeps old ids, the new one is written.
        settings.window = 5
        XCTAssertEqual(CanonicalJSON.string(settings), #"{"rate":0.5,"steps":10,"warmup":true,"window":5}"#)
        XCTAssertEqual(ProbeSettings.schema.entries().map(\.identityText), [nil, nil, "false", "3"])
        // JSON is the canonical form's keys and values, and decodes back (missing keys take the defaults).
        let json = try JSONEncoder().encode(settings)
        XCTAssertEqual(try JSONDecoder().decode(ProbeSettings.self, from: json), settings)
        XCTAssertEqual(try JSONDecoder().decode(ProbeSettings.self, from: Data("{}".utf8)), ProbeSettings())
    }

    /// Every knob of the real schemas, written the way the listing shows its default, sets that default: each knob's
    /// text form is readable, and the listing names every key `--set` accepts.
    func testEveryListedDefaultReadsBackAsTheDefault() throws {
        for (schemaName, entries) in [("training", TrainingConfig.schema.entries()), ("guidance", GuidanceConfig.schema.entries())] {
            XCTAssertFalse(entries.isEmpty)
            for entry in entries where !entry.isGroup {
                if schemaName == "training" {
                    var config = TrainingConfig()
                    try TrainingConfig.schema.assign(entry.key, text: entry.defaultText, to: &config, origin: entry.key)
                    XCTAssertEqual(config, TrainingConfig(), entry.key)
                } else {
                    var config = GuidanceConfig()
                    try GuidanceConfig.schema.assign(entry.key, text: entry.defaultText, to: &config, origin: entry.key)
                    XCTAssertEqual(config, GuidanceConfig(), entry.key)
                }
            }
        }
        let keys = TrainingConfig.schema.entries().map(\.key)
        XCTAssertTrue(keys.contains("optimizer.weight_decay") && keys.contains("schedule.step_size"), "\(keys)")
    }

    /// Command-line text goes through the manifest's checks: bounds, choices with a did-you-mean, unknown keys, lists.
    func testAssignRefusesWhatAManifestRefuses() {
        var config = TrainingConfig()
        func message(_ path: String, _ text: String) -> String {
            do {
                try TrainingConfig.schema.assign(path, text: text, to: &config, origin: "--set training.\(path)=\(text)")
                return ""
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("steps", "0"), "--set training.steps=0: expected an integer ≥ 1, found 0")
        XCTAssertTrue(message("optimizer.name", "adan").contains(#"unknown optimizer "adan" (did you mean "adam"?)"#))
        XCTAssertTrue(message("stepz", "3").contains(#"did you mean "steps""#))
        XCTAssertTrue(message("optimizer.lr", "[0.1, 0.2]").contains("expected one value"))
        XCTAssertTrue(message("steps.x", "1").contains("no settings under it"))
        XCTAssertEqual(config, TrainingConfig(), "nothing was set by a refused value")
        XCTAssertEqual(message("optimizer", "adamw"), "")
        XCTAssertEqual(config.optimizer.weightDecay, 0.01, "naming the optimizer sets its weight-decay default")
        XCTAssertEqual(message("optimizer.weight_decay", "0"), "")
        XCTAssertEqual(config.optimizer, OptimizerConfig(name: .adamw, weightDecay: 0))
    }

    /// A manifest that sets every training knob: each reaches the spec, its JSON (so the CSV's columns) and its id.
    func testEveryTrainingKnobReachesTheSpecItsJSONAndItsID() throws {
        let manifest = try decodeManifest("""
        name: knobs
        seeds: [0]
        tasks: [{name: mnist1d}]
        models: {fcn: {family: fcn}}
        targets: [fcn]
        conditions: [baseline]
        training:
          steps: 50
          batch_size: 32
          optimizer: {name: sgd, lr: 0.1, weight_decay: 0.001, momentum: 0.5}
          schedule: {name: step, warmup_steps: 2, step_size: 10, gamma: 0.5}
          clip_norm: 1.5
          eval_every: 5
          eval_batches: 2
          device: cuda
          threads: 3
          record_predictions: true
        """)
        let spec = try XCTUnwrap(Plan(manifest).jobs.first).spec
        let training = spec.training
        XCTAssertEqual(training.steps, 50)
        XCTAssertEqual(training.optimizer, OptimizerConfig(name: .sgd, lr: 0.1, weightDecay: 0.001, momentum: 0.5))
        XCTAssertEqual(training.schedule, ScheduleConfig(name: .step, warmupSteps: 2, stepSize: 10, gamma: 0.5))
        XCTAssertEqual(training.clipNorm, 1.5)
        XCTAssertEqual(training.evalBatches, 2)
        XCTAssertEqual(training.threads, 3)
        XCTAssertTrue(training.recordPredictions)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(spec)) as? [String: Any])
        let trainingJSON = try XCTUnwrap(json["training"] as? [String: Any])
        XCTAssertEqual(Set(trainingJSON.keys), Set(TrainingConfig.schema.keys))
        var changed = spec
        for key in TrainingConfig.schema.keys where key != "optimizer" && key != "schedule" {
            var other = training
            let original = try JSONEncoder().encode(other)
            try TrainingConfig.schema.assign(key, text: TrainingConfig.schema.entries().first { $0.key == key }!.defaultText,
                                             to: &other, origin: key)
            XCTAssertNotEqual(try JSONEncoder().encode(other), original, key)
            changed.training = other
            XCTAssertNotEqual(changed.id, spec.id, "\(key) is part of the job id")
        }
    }

    /// A guidance option added later is left out of the canonical form at its default: the ids of specs written before
    /// it existed hold (pinned in Golden/), and the JSON of such a spec has no key for it.
    func testLaterGuidanceOptionsAreWrittenOnlyWhenSet() throws {
        let plain = CanonicalJSON.string(GuidanceConfig())
        for key in ["readout", "epsilon_mode", "cka_batch", "noise"] { XCTAssertFalse(plain.contains("\"\(key)\""), key) }
        var config = GuidanceConfig()
        try GuidanceConfig.schema.assign("readout", text: "token-mean", to: &config, origin: "test")
        XCTAssertTrue(CanonicalJSON.string(config).contains(#""readout":"token-mean""#))
        XCTAssertEqual(try JSONDecoder().decode(GuidanceConfig.self, from: JSONEncoder().encode(config)), config)
    }

    /// Every training and guidance knob set away from its default (the shipped manifests leave most at their
    /// defaults, so their golden ids do not cover them): the ids are those `guidance plan` printed for this manifest
    /// when built from 08a8679, before the settings had schemas, in the same order.
    func testFullySetSettingsPlanToTheIDsFromBeforeTheSchemas() throws {
        let manifest = try decodeManifest("""
        name: fully-set
        seeds: [3]
        tasks: [{name: mnist1d}]
        models: {fcn: {family: fcn}, cnn: {family: cnn}}
        targets: [fcn]
        guides: [cnn]
        conditions: [guided, guided-init, noise-warmup, distill]
        guide_states: [untrained]
        training:
          steps: 1234
          batch_size: [64, 32]
          optimizer: {name: [adamw, sgd], lr: 3e-4, weight_decay: 0.05, beta1: 0.85, beta2: 0.98, momentum: 0.8}
          schedule: {name: step, warmup_steps: 10, step_size: 100, gamma: 0.5}
          clip_norm: 0.25
          eval_every: 50
          eval_batches: 3
          device: cuda:1
          threads: 2
          record_predictions: true
        guidance:
          alpha: 0.5
          similarity: [rbf-cka, linear-cka]
          rbf_sigma: 0.6
          mapping: [[{guide: 0, target: 1}, {guide: conv2, target: 3}]]
          guide_mode: train
          init_steps: 150
          noise_steps: 77
          noise_mode: both
          noise: normal
          temperature: 2
          epsilon: 1e-6
          epsilon_mode: outside
          cka_batch: 16
          readout: token-mean
        """)
        let ids = Plan(manifest).jobs.map { String($0.id.rawValue.prefix(8)) }
        XCTAssertEqual(ids, ["d337393a", "5aabdd9e", "fc451449", "2b6362c3", "37024ee5", "6403816d", "2f03da80", "fa0b9f10", "a5950268", "ed8f8261", "13e67dd5", "0d8ab3f3", "07271b68", "83a17293", "a12129ea", "f7c0c4fa", "f36fac73", "27bd300b", "3643e4fa", "d429ea31", "4333d11b", "0317c668", "2c5c152a", "0f61b626", "1a03914b", "beba052f", "384f101b", "d53e8c6d"])
    }
}
