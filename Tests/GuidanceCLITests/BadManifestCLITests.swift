import Foundation
import XCTest

/// `guidance plan` on manifests that used to crash or bloat it: a clear error naming the problem, exit non-zero.
final class BadManifestCLITests: XCTestCase {
    func plan(_ bytes: [UInt8], _ extra: [String] = []) throws -> GuidanceExecutable.Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try GuidanceExecutable.run(["plan", url.path] + extra)
    }

    let head = "tasks: [parity]\ntargets: [{family: fcn}]\n"

    func testTenMillionSeedsAreRefusedWithTheCountAndTheLimit() throws {
        let result = try plan(Array((head + "seeds: 10000000\n").utf8))
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("10000000 seeds make more jobs than the limit of 1000000"), result.standardError)
        let two = "tasks: [parity]\ntargets: [{family: fcn}, {family: fcn, width: 8}]\nseeds: 600\n"
        let over = try plan(Array(two.utf8), ["--max-jobs", "1000"])
        XCTAssertNotEqual(over.status, 0)
        XCTAssertTrue(over.standardError.contains("multiplies to 1200 jobs (seeds 600 × targets 2), more than the limit of 1000"),
                      over.standardError)
        XCTAssertEqual(try plan(Array(two.utf8), ["--max-jobs", "1200"]).status, 0)
    }

    func testDeepNestingAndNonUTF8AreRefusedWithLineAndOffset() throws {
        let deep = try plan(Array((head + "name: " + String(repeating: "[", count: 5_000) + "\n").utf8))
        XCTAssertNotEqual(deep.status, 0)
        XCTAssertTrue(deep.standardError.contains(":3: lists and mappings nest"), deep.standardError)
        let latin1 = try plan(Array((head + "name: caf").utf8) + [0xE9, 0x0A])
        XCTAssertNotEqual(latin1.status, 0)
        XCTAssertTrue(latin1.standardError.contains("not UTF-8 text: byte offset \(head.utf8.count + 9)"), latin1.standardError)
    }
}
