import Foundation
import XCTest

/// `guidance archs` end to end: runs the built executable and reads its output.
final class ArchsCommandTests: XCTestCase {
    private struct Report: Decodable {
        struct Family: Decodable {
            struct Field: Decodable { let name: String; let `default`: String; let help: String }
            struct Tap: Decodable { let name: String; let width: Int }
            let family: String
            let summary: String?
            let fields: [Field]?
            let parameters: Int?
            let taps: [Tap]?
            let error: String?
        }
        let input: String?
        let output: String?
        let families: [Family]

        subscript(_ name: String) -> Family? { families.first { $0.family == name } }
    }

    private static let allFamilies = ["fcn", "wide-fcn", "cnn", "resnet", "rnn", "lstm", "transformer", "mixer"]

    private func archsJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let result = try GuidanceExecutable.run(["archs", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError, file: file, line: line)
        return try JSONDecoder().decode(Report.self, from: Data(result.standardOutput.utf8))
    }

    func testListsEveryFamilyWithFieldsAndDefaults() throws {
        let report = try archsJSON([])
        XCTAssertEqual(report.families.map(\.family), Self.allFamilies)
        XCTAssertNil(report.input)
        let fcn = try XCTUnwrap(report["fcn"])
        XCTAssertFalse(try XCTUnwrap(fcn.summary).isEmpty)
        XCTAssertEqual(fcn.fields?.first { $0.name == "depth" }?.default, "8")
        XCTAssertEqual(report["transformer"]?.fields?.first { $0.name == "heads" }?.default, "4")

        let text = try GuidanceExecutable.run(["archs"])
        XCTAssertEqual(text.status, 0, text.standardError)
        for family in Self.allFamilies { XCTAssertTrue(text.standardOutput.contains("\(family): "), family) }
        XCTAssertTrue(text.standardOutput.contains("pool_every"))
    }

    func testEachFamilyBuiltForAnImageClassifier() throws {
        let report = try archsJSON(["--input", "image:1x28x28", "--output", "classes:10"])
        XCTAssertEqual(report.input, "image:1x28x28")
        XCTAssertEqual(report.output, "classes:10")
        XCTAssertEqual(report.families.map(\.family), Self.allFamilies)
        for family in report.families {
            XCTAssertNil(family.error, family.family)
            XCTAssertGreaterThan(family.parameters ?? 0, 0, family.family)
            XCTAssertFalse(family.taps?.isEmpty ?? true, family.family)
        }
        // The default fcn: 8 blocks of 256 on the flattened 784 pixels, BatchNorm after each, a 10-way head.
        let fcn = try XCTUnwrap(report["fcn"])
        XCTAssertEqual(fcn.parameters, (784 * 256 + 256) + 7 * (256 * 256 + 256) + 8 * 2 * 256 + (256 * 10 + 10))
        XCTAssertEqual(fcn.taps?.map(\.name), (0..<8).map { "blocks.\($0).linear" })
        XCTAssertEqual(fcn.taps?.map(\.width), Array(repeating: 256, count: 8))
        // The default rnn reads 28 rows: two layers, each tapped over all 28 steps of 128 units.
        XCTAssertEqual(report["rnn"]?.taps?.map(\.width), [28 * 128, 28 * 128])
        XCTAssertEqual(report["cnn"]?.taps?.last?.name, "head.pool")
    }

    /// `--task` stands for the task's own input and output: the same report as spelling them out.
    func testTaskStandsForItsInputAndOutput() throws {
        let byTask = try archsJSON(["--task", "mnist1d", "--family", "cnn"])
        XCTAssertEqual(byTask.input, "signal:1x40")
        XCTAssertEqual(byTask.output, "classes:10")
        let spelled = try archsJSON(["--input", "signal:1x40", "--output", "classes:10", "--family", "cnn"])
        XCTAssertEqual(byTask["cnn"]?.parameters, spelled["cnn"]?.parameters)
        XCTAssertEqual(byTask["cnn"]?.taps?.map(\.width), spelled["cnn"]?.taps?.map(\.width))
        let sequence = try archsJSON(["--task", "copy-paste", "--task-option", "min_length=4", "--task-option", "max_length=12", "--family", "rnn"])
        XCTAssertTrue(sequence.input?.hasPrefix("tokens:") ?? false, sequence.input ?? "no input")
        let unknown = try GuidanceExecutable.run(["archs", "--task", "mnist1d", "--task-option", "nosuch=1"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.standardError.contains("nosuch"), unknown.standardError)
    }

    func testFamiliesThatCannotServeNextTokenSayWhy() throws {
        let report = try archsJSON(["--input", "tokens:40:12", "--output", "next-token:12"])
        for name in ["fcn", "wide-fcn", "cnn", "resnet", "mixer"] {
            let family = try XCTUnwrap(report[name])
            XCTAssertNil(family.parameters, name)
            XCTAssertTrue(family.error?.contains("causal") ?? false, "\(name): \(family.error ?? "no error")")
        }
        for name in ["rnn", "lstm", "transformer"] {
            XCTAssertNil(report[name]?.error, name)
            XCTAssertNotNil(report[name]?.parameters, name)
        }
        XCTAssertEqual(report["lstm"]?.taps?.map(\.width), [40 * 128, 40 * 128])
    }

    func testOneFamilyWithOptions() throws {
        let report = try archsJSON(["--input", "signal:1x40", "--output", "classes:3", "--family", "fcn",
                                    "--option", "depth=2", "--option", "width=8", "--option", "batch_norm=false"])
        XCTAssertEqual(report.families.map(\.family), ["fcn"])
        XCTAssertEqual(report["fcn"]?.parameters, (40 * 8 + 8) + (8 * 8 + 8) + (8 * 3 + 3))
        XCTAssertEqual(report["fcn"]?.taps?.map(\.width), [8, 8])

        let wrong = try archsJSON(["--input", "signal:1x40", "--output", "classes:3", "--family", "transformer",
                                   "--option", "width=10", "--option", "heads=4"])
        XCTAssertTrue(wrong["transformer"]?.error?.contains("heads") ?? false, "\(String(describing: wrong["transformer"]?.error))")
    }

    func testBadArgumentsFailWithAClearMessage() throws {
        let cases: [([String], String)] = [
            (["archs", "--input", "image:28x28", "--output", "classes:10"], "image:CxHxW"),
            (["archs", "--input", "image:1x28x28", "--output", "classes"], "classes:K"),
            (["archs", "--input", "image:1x28x28"], "--input and --output together"),
            (["archs", "--family", "resnte"], "did you mean \"resnet\""),
            (["archs", "--input", "image:1x8x8", "--output", "classes:2", "--option", "depth=2"], "exactly one --family"),
        ]
        for (arguments, expected) in cases {
            let result = try GuidanceExecutable.run(arguments)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.standardError.contains(expected), "\(arguments): \(result.standardError)")
        }
    }
}
