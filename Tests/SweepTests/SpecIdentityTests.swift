import Config
import Foundation
import ModelSchema
@testable import Sweep
import XCTest

/// A job's id depends on what it computes, not on how its manifest was written.
final class SpecIdentityTests: XCTestCase {
    private func ids(_ yaml: String) throws -> [String] {
        try Plan(Manifest.decode(yaml: yaml, file: "m.yaml")).jobs.map(\.id.rawValue)
    }

    private func manifest(target: String, task: String = "mnist1d") -> String {
        """
        name: m
        tasks: [\(task)]
        targets: [\(target)]
        guides: [{family: cnn}]
        conditions: [baseline, guided]
        guide_states: [untrained]
        """
    }

    func testADefaultWrittenExplicitlyIsTheSameJobAsTheDefaultLeftOut() throws {
        let implicit = try ids(manifest(target: "{family: fcn}"))
        XCTAssertEqual(try ids(manifest(target: "{family: fcn, depth: 8}")), implicit)
        XCTAssertEqual(try ids(manifest(target: "{family: fcn, depth: 8.0, width: 256, dropout: 0, batch_norm: true}")), implicit)
        XCTAssertNotEqual(try ids(manifest(target: "{family: fcn, depth: 9}")), implicit)
        // Task options too.
        XCTAssertEqual(try ids(manifest(target: "{family: fcn}", task: "{name: mnist1d, seed: 42, samples: 5000.0}")),
                       try ids(manifest(target: "{family: fcn}", task: "{name: mnist1d}")))
    }

    func testDerivedDefaultsNormaliseByTheirRule() {
        XCTAssertEqual(ModelFamily.transformer.normalized(["width": 32, "ff": 128]), ["width": 32])
        XCTAssertEqual(ModelFamily.transformer.normalized(["width": 32, "ff": 64]), ["width": 32, "ff": 64])
        XCTAssertEqual(ModelFamily.resnet.normalized(["depth": 18, "blocks": [2, 2, 2, 2], "bottleneck": false]), ["depth": 18])
        XCTAssertEqual(ModelFamily.resnet.normalized(["depth": 18, "blocks": [2, 2, 2]]), ["depth": 18, "blocks": [2, 2, 2]])
        XCTAssertEqual(ModelFamily.cnn.normalized(["channels": [32], "depth": 6.0]), ["depth": 6])
        // Unknown fields stay for validation to report.
        XCTAssertEqual(ModelFamily.cnn.normalized(["chanels": 32]), ["chanels": 32])
    }

    /// Every value default of every family leaves the id unchanged when written out: the property that lets a new
    /// option with a behaviour-keeping default leave all existing ids alone.
    func testEveryFamilyDefaultWrittenOutLeavesTheIdUnchanged() {
        for family in ModelFamily.allCases {
            var explicit: [String: ConfigValue] = [:]
            for field in family.fields { if let value = field.value { explicit[field.name] = value } }
            XCTAssertEqual(family.normalized(explicit), [:], family.rawValue)
        }
    }

    /// The defaults ids are normalised against. Changing one would silently re-identify stored jobs: keep the old
    /// value as the field's `identity:` instead (see `ModelField.identityDefault`) and update this file only for a
    /// new field.
    func testIdentityDefaultsArePinned() throws {
        let url = Self.golden.appendingPathComponent("identity-defaults.json")
        let current = CanonicalJSON.string(ConfigValue.object(SpecDefaults.identity))
        if ProcessInfo.processInfo.environment["GUIDANCE_WRITE_GOLDEN"] == "1" { try (current + "\n").write(to: url, atomically: true, encoding: .utf8) }
        let pinned = try JSONCoding.makeDecoder().decode([String: ConfigValue].self, from: Data(contentsOf: url))
        for (key, value) in pinned {
            XCTAssertEqual(SpecDefaults.identity[key].map { $0.means(value) }, true,
                           "\(key) was \(value.displayText), now \(SpecDefaults.identity[key]?.displayText ?? "gone")")
        }
    }

    /// The manifests shipped in manifests/ (and manifests/paper/, whose results directories are resumed while options
    /// are added) plan to the ids recorded in Golden/*.ids (Golden/paper/*.ids). demo.yaml's ids changed once,
    /// when defaults written explicitly (depth: 8, width: 256, ...) stopped counting as different jobs, and its grid
    /// changed when the demo moved to adaptive seeds with one guide.
    func testShippedManifestsPlanToTheirGoldenIDs() throws {
        let manifests = Self.root.appendingPathComponent("manifests")
        let names = try FileManager.default.subpathsOfDirectory(atPath: manifests.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertFalse(names.isEmpty)
        XCTAssertTrue(names.contains { $0.hasPrefix("paper/") }, "the paper manifests are pinned too")
        for name in names {
            let yaml = try String(contentsOf: manifests.appendingPathComponent(name), encoding: .utf8)
            let lines = try Plan(Manifest.decode(yaml: yaml, file: name)).jobs.map { "\($0.id.rawValue) \($0.spec.summary)" }
            let url = Self.golden.appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ".ids"))
            let text = lines.joined(separator: "\n") + "\n"
            if ProcessInfo.processInfo.environment["GUIDANCE_WRITE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try text.write(to: url, atomically: true, encoding: .utf8)
            }
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), text, name)
        }
    }

    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
