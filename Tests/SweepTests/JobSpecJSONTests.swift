import Config
import Foundation
import Sweep
import XCTest

/// `JobSpec.jsonBytes` (the coordinator's once-per-job spec JSON, written without `JSONEncoder`) against
/// `JSONCoding`'s encoder and decoder, the independent reference: the same JSON value and the same decoded spec.
final class JobSpecJSONTests: XCTestCase {
    /// `roundTrips`: the spec also decodes back to itself (not for options like `1e16` or `-0.0`, which JSON reads, by
    /// either path, as the integers 10000000000000000 and 0).
    private func assertSameJSON(_ spec: JobSpec, roundTrips: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try JSONCoding.makeEncoder().encode(spec)
        let mine = spec.jsonBytes
        XCTAssertEqual(ConfigValue(json: mine), ConfigValue(json: reference), "same JSON value", file: file, line: line)
        let decoder = JSONCoding.makeDecoder()
        XCTAssertEqual(try decoder.decode(JobSpec.self, from: Data(mine)), try decoder.decode(JobSpec.self, from: reference),
                       file: file, line: line)
        if roundTrips { XCTAssertEqual(try decoder.decode(JobSpec.self, from: Data(mine)), spec, file: file, line: line) }
    }

    func testEverySpecOfThePlansDecodesAsTheEncodersOutput() throws {
        for yaml in [briefManifest] {
            for job in Plan(try decodeManifest(yaml)).jobs { try assertSameJSON(job.spec) }
        }
        try assertSameJSON(fullySetSpec())
        try assertSameJSON(JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "fcn")))
    }

    func testEdgeValuesInOptionsAndLabels() throws {
        let awkward: [String: ConfigValue] = [
            "big": .int(Int.max), "small": .int(Int.min), "huge": .double(1e300), "tiny": .double(5e-324),
            "integral": .double(1e16), "negative_zero": .double(-0.0), "fraction": .double(0.1),
            "escapes": .string("quote \" backslash \\ slash / newline \n tab \t cr \r bell \u{7} nul \u{0} del \u{7f}"),
            "unicode": .string("é ü 中文 🎉 \u{2028} \u{FEFF}"), "empty": .string(""), "null": .null,
            "nested": .object(["a.b": .array([.int(1), .double(2.5), .null, .bool(false), .object([:]), .array([])])]),
            "key with \"quote\"": .bool(true), "ключ": .int(1),
        ]
        let spec = JobSpec(task: TaskSpec(name: "tâche \"x\"", options: awkward),
                           target: ModelSpec(family: "fcn", options: awkward, label: "lab\u{1}el/é"),
                           guide: ModelSpec(family: "cnn", options: [:], label: nil), condition: .guided, guideState: .untrained, seed: -3)
        try assertSameJSON(spec, roundTrips: false)
    }
}
