import Config
import Foundation
import Store
import Sweep
import XCTest

/// `ConfigValue(json:)` must read every JSON text exactly as `JSONDecoder` reads a `ConfigValue` (the store's
/// CSV columns depend on it): the reference here is Foundation's decoder, not figures from the code under test.
final class ConfigValueJSONTests: XCTestCase {
    private func reference(_ text: String) -> ConfigValue? {
        try? JSONCoding.makeDecoder().decode(ConfigValue.self, from: Data(text.utf8))
    }

    func testNumbersStringsAndNestingReadAsJSONDecoderReadsThem() {
        let texts = [
            "0", "-0", "7", "-42", "1.0", "-1.0", "1.5", "0.1", "1e3", "1E3", "1e+16", "1e16", "2.5e-7", "1e20", "-1e300",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "12345678901234567890", "123456789012345678901234",
            "0.30000000000000004", "true", "false", "null", "\"\"", "\"plain\"", #""a\"b\\c\/d\n\t\r\b\f""#,
            #""\u00e9\u4e2d\ud83d\ude00""#, "\"caf\u{e9} \u{1F600}\"", "[]", "{}", "[1, 2.5, \"x\", null, [true], {\"k\": []}]",
            " { \"b\" : { \"c\" : [ 1 , { } ] } , \"a\" : -3.25e2 } ", "{\"dup\": 1, \"other\": {\"x\": \"y\"}}", "[1,]", "{\"a\":1, }",
        ]
        for text in texts {
            XCTAssertNotNil(reference(text), "reference rejects \(text)")
            XCTAssertEqual(ConfigValue(json: Array(text.utf8)), reference(text), text)
        }
    }

    func testMalformedTextIsRejected() {
        for text in ["", "{\"a\" 1}", "{\"a\":}", "01", "1.", "-", ".5", "+1", "1e", "\"\\x\"", "\"\\ud83d\"", "tru",
                     "nul", "[1] x", "[1] null", "[", "\"open", "{1: 2}", "\"\u{01}\""] {
            XCTAssertNil(ConfigValue(json: Array(text.utf8)), "accepted \(text)")
            XCTAssertNil(reference(text), "the reference accepts \(text); the reader should too")
        }
    }

    func testRandomTreesEncodedByTheStoresEncoderReadBackAsTheReferenceReadsThem() throws {
        var generator = SeededGenerator(seed: 20_261_130)
        let encoder = JSONCoding.makeEncoder()
        for _ in 0..<300 {
            let tree = randomValue(depth: 0, &generator)
            let json = try encoder.encode(tree)
            let text = String(decoding: json, as: UTF8.self)
            XCTAssertEqual(ConfigValue(json: json), reference(text), text)
        }
    }

    func testJobSpecsReadBackAsTheReferenceReadsThem() throws {
        let planned = try plan(smallManifest)
        let encoder = JSONCoding.makeEncoder()
        for job in planned.jobs {
            let json = try encoder.encode(job.spec)
            XCTAssertEqual(ConfigValue(json: json), reference(String(decoding: json, as: UTF8.self)))
        }
    }

    /// `forEachLeaf` and `members` (the store's CSV cells without building trees) against the reference's tree.
    func testLeavesAndMembersAreThoseOfTheReferencesTree() throws {
        func leaves(_ value: ConfigValue, _ path: String, into found: inout [String: ConfigValue]) {
            guard case .object(let members) = value else { found[path] = value; return }
            for (key, member) in members { leaves(member, path.isEmpty ? key : path + "." + key, into: &found) }
        }
        var generator = SeededGenerator(seed: 11)
        let encoder = JSONCoding.makeEncoder()
        for _ in 0..<300 {
            var top: [String: ConfigValue] = [:]
            for key in ["a", "b\"}]", "seed", "ü"] where Bool.random(using: &generator) { top[key] = randomValue(depth: 1, &generator) }
            let json = [UInt8](try encoder.encode(ConfigValue.object(top)))
            let text = String(decoding: json, as: UTF8.self)
            let tree = try XCTUnwrap(reference(text), text)
            var expected: [String: ConfigValue] = [:]
            leaves(tree, "", into: &expected)
            var found: [String: ConfigValue] = [:]
            XCTAssertTrue(ConfigValue.forEachLeaf(json: json) { path, value in found[path] = value }, text)
            XCTAssertEqual(found, expected, text)
            let members = try XCTUnwrap(ConfigValue.members(json: json), text)
            guard case .object(let whole) = tree else { return XCTFail(text) }
            XCTAssertEqual(Set(members.map(\.key)), Set(whole.keys), text)
            for (key, range) in members { XCTAssertEqual(ConfigValue(json: json[range]), whole[key], text) }
        }
        XCTAssertFalse(ConfigValue.forEachLeaf(json: Array(#"{"a": {"b": 1,}, "c": tru}"#.utf8)) { _, _ in })
        XCTAssertNil(ConfigValue.members(json: Array("[1]".utf8)))
        XCTAssertNil(ConfigValue.members(json: Array(#"{"a": 1} x"#.utf8)))
    }

    func testAMemberIsReadAsTheWholeObjectWouldBeReadAndTheRestSkipped() throws {
        var generator = SeededGenerator(seed: 7)
        let encoder = JSONCoding.makeEncoder()
        for _ in 0..<200 {
            var members: [String: ConfigValue] = [:]
            for key in ["a", "b\"}]", "spec", "z"] where Bool.random(using: &generator) { members[key] = randomValue(depth: 1, &generator) }
            let json = [UInt8](try encoder.encode(ConfigValue.object(members))) + [0x0a]
            let text = String(decoding: json, as: UTF8.self)
            guard case .object(let whole)? = reference(text) else { return XCTFail("reference rejects \(text)") }
            for key in ["a", "b\"}]", "spec", "z"] {
                XCTAssertEqual(ConfigValue(json: json, member: key), whole[key], text)
            }
        }
        XCTAssertNil(ConfigValue(json: Array("[1]".utf8), member: "spec"))
        XCTAssertNil(ConfigValue(json: Array("{\"spec\": }".utf8), member: "spec"))
        XCTAssertNil(ConfigValue(json: Array("{\"a\": \"open".utf8), member: "spec"))
    }

    func testAStoredRowEqualsTheRowOfTheRecordAlone() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let planned = try plan(smallManifest)
        let store = try ResultStore.open(at: directory, manifestYAML: smallManifest, plan: planned)
        let records = planned.jobs.map { record(for: $0) }
        try store.record(contentsOf: records)
        let csv = try String(contentsOf: store.csvURL, encoding: .utf8)
        // Rebuild the CSV from rows of the records alone: the header and every line must match.
        var columns: Set<String> = []
        var metricColumns: Set<String> = []
        let rows = records.map(RecordRow.init)
        for row in rows {
            columns.formUnion(row.fields.keys)
            metricColumns.formUnion(row.metrics.keys)
        }
        let header = csv.split(separator: "\n").first.map { String($0) } ?? ""
        XCTAssertEqual(Set(header.split(separator: ",").map(String.init)), columns.union(metricColumns))
        let names = header.split(separator: ",").map(String.init)
        let lines = csv.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertEqual(lines.count, rows.count)
        for (line, row) in zip(lines, rows) {
            let expected = names.map { CSVText.field(row.fields[$0] ?? row.metrics[$0] ?? "") }.joined(separator: ",")
            XCTAssertEqual(line, expected)
        }
    }

    private func randomValue(depth: Int, _ g: inout SeededGenerator) -> ConfigValue {
        let kind = Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &g)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .int(Int.random(in: Int.min...Int.max, using: &g) >> Int.random(in: 0...63, using: &g))
        case 3:
            let choices: [Double] = [Double.random(in: -1e6...1e6, using: &g), Double.random(in: -1...1, using: &g) * 1e-9,
                                     Double(Int.random(in: -1000...1000, using: &g)), 1e16, 1e22, -2.5e300, 5e-324]
            return .double(choices[Int.random(in: 0..<choices.count, using: &g)])
        case 4, 5:
            let alphabet = Array("aZ09 _-,.\"\\/\n\té中😀\u{7f}")
            return .string(String((0..<Int.random(in: 0...8, using: &g)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] }))
        case 6: return .array((0..<Int.random(in: 0...4, using: &g)).map { _ in randomValue(depth: depth + 1, &g) })
        default:
            var members: [String: ConfigValue] = [:]
            for index in 0..<Int.random(in: 0...4, using: &g) { members["k\(index)\(Bool.random(using: &g) ? "é" : "")"] = randomValue(depth: depth + 1, &g) }
            return .object(members)
        }
    }
}

/// SplitMix64, so that a failing random case reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// RFC 4180 quoting, written independently of the store's CSV writer.
enum CSVText {
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.first == " " || text.last == " " else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
