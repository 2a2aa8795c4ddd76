import Foundation
@testable import Sweep
import XCTest

/// Manifests that would exhaust memory or the stack are refused before they are parsed or expanded, with the
/// line, the offset or the count, and the limit.
final class ManifestLimitsTests: XCTestCase {
    func refusal(_ yaml: String, limits: ManifestLimits = ManifestLimits(), file: StaticString = #filePath, line: UInt = #line) -> ManifestError? {
        do {
            _ = try Manifest.decode(yaml: yaml, file: "m.yaml", limits: limits)
            XCTFail("accepted", file: file, line: line)
        } catch let error as ManifestError {
            return error
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    func testAHugeSeedCountIsRefusedWithTheCountAndTheLimit() throws {
        let error = try XCTUnwrap(refusal("tasks: [t]\ntargets: [{family: fcn}]\nseeds: 10000000\n"))
        XCTAssertEqual(error.issues.first?.line, 3)
        XCTAssertTrue(error.description.contains("10000000 seeds"), error.description)
        XCTAssertTrue(error.description.contains("limit of 1000000"), error.description)
        XCTAssertTrue(error.description.contains("--max-jobs"), error.description)
    }

    func testAGridWhoseAxesMultiplyPastTheLimitIsRefusedWithTheProduct() throws {
        let yaml = "tasks: [a, b, c, d]\ntargets: [{family: fcn}, {family: cnn}]\nseeds: 200\n"
        let error = try XCTUnwrap(refusal(yaml, limits: ManifestLimits(maxJobs: 1_000)))
        XCTAssertTrue(error.description.contains("multiplies to 1600 jobs (seeds 200 × tasks 4 × targets 2)"), error.description)
        XCTAssertTrue(error.description.contains("limit of 1000"), error.description)
        XCTAssertNoThrow(try Manifest.decode(yaml: yaml, file: "m.yaml", limits: ManifestLimits(maxJobs: 1_600)))
    }

    func testDeepNestingIsRefusedWithItsLineBeforeParsing() throws {
        let deep = "tasks: [t]\ntargets: [{family: fcn}]\nname: " + String(repeating: "[", count: 5_000) + "\n"
        let error = try XCTUnwrap(refusal(deep))
        XCTAssertEqual(error.issues.first?.line, 3)
        XCTAssertTrue(error.description.contains("limit of 64"), error.description)
        var block = "tasks: [t]\ntargets: [{family: fcn}]\nname:\n"
        for level in 1...100 { block += String(repeating: " ", count: level) + "- \n" }
        XCTAssertEqual(refusal(block)?.issues.first?.line, 3 + 63)  // depth: 63 indentation levels + name's + one "- "
        XCTAssertEqual(refusal("tasks: [t]\ntargets: [{family: fcn}]\nname:\n" + String(repeating: "- ", count: 100) + "x\n")?.issues.first?.line, 4)
        // Brackets in quotes and comments are text, not nesting.
        let quoted = "tasks: [t]  # [[[[" + String(repeating: "[", count: 100) + "\ntargets: [{family: fcn}]\nname: \"" + String(repeating: "[", count: 100) + "\"\n"
        XCTAssertNoThrow(try Manifest.decode(yaml: quoted, file: "m.yaml"))
    }

    func testNonUTF8NamesTheByteOffsetAndLine() throws {
        let bytes = Array("tasks: [t]\ntargets: [{family: fcn}]\nname: caf".utf8) + [0xE9] + Array("\n".utf8)
        do {
            _ = try Manifest.text(of: Data(bytes), file: "m.yaml")
            XCTFail("accepted")
        } catch let error as ManifestError {
            XCTAssertEqual(error.issues.first?.line, 3)
            XCTAssertTrue(error.description.contains("not UTF-8 text: byte offset \(bytes.count - 2) is 0xE9"), error.description)
            XCTAssertTrue(error.description.contains("save the file as UTF-8"), error.description)
        }
        XCTAssertEqual(try Manifest.text(of: Data("naïve ✓ 😀".utf8), file: "m.yaml"), "naïve ✓ 😀")
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            XCTAssertEqual(Manifest.firstInvalidUTF8(Array("ok".utf8) + bad), 2, "\(bad)")
        }
    }

    func testATenMegabyteListIsRefusedBySizeBeforeParsing() throws {
        var yaml = "tasks: [t]\ntargets: [{family: fcn}]\nseeds: ["
        yaml += (0..<1_500_000).map(String.init).joined(separator: ", ")
        yaml += "]\n"
        XCTAssertGreaterThan(yaml.utf8.count, 10_000_000)
        let error = try XCTUnwrap(refusal(yaml))
        XCTAssertTrue(error.description.contains("\(yaml.utf8.count) bytes, more than the limit of \(1 << 20)"), error.description)
    }
}
