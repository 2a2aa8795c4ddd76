import Foundation
import XCTest

/// `guidance settings` end to end: every training and guidance setting from the schemas, in each format.
final class SettingsCommandTests: XCTestCase {
    func testListsEverySettingWithItsValuesAndDefault() throws {
        let result = try GuidanceExecutable.run(["settings"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        for (key, detail) in [("training.steps", "integer ≥ 1; default 1000"), ("training.optimizer.weight_decay", "number ≥ 0; default 0"),
                              ("training.schedule.name", "constant | step | cosine; default constant"),
                              ("guidance.readout", "flat | token-mean | token-sum | pooled; default flat"),
                              ("guidance.cka_batch", "integer ≥ 3 or null; default null"), ("guidance.epsilon", "default 1e-08")] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(key + " ") && $0.contains(detail) }, "\(key): \(detail)\n\(result.standardOutput)")
        }
    }

    func testJSONListsTheSameKeysAsTheTable() throws {
        let table = try GuidanceExecutable.run(["settings"])
        let json = try GuidanceExecutable.run(["settings", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.standardError)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: String]])
        let keys = entries.compactMap { $0["key"] }
        XCTAssertEqual(keys.count, 34, "10 training knobs, 6 optimizer, 4 schedule, 14 guidance: \(keys)")
        let tableKeys = table.standardOutput.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map { String($0.split(separator: " ")[0]) }
        XCTAssertEqual(tableKeys, keys)
    }
}
