import Foundation
import XCTest

/// `guidance tasks` end to end.
final class TasksCommandTests: XCTestCase {
    func testListsEveryTaskWithFieldsAndDefaults() throws {
        let result = try GuidanceExecutable.run(["tasks"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let text = result.standardOutput
        for task in ["mnist1d", "copy-paste", "parity", "modular-addition", "char-lm", "idx", "cifar10", "cifar100", "npy"] {
            XCTAssertTrue(text.split(separator: "\n").contains { $0.hasPrefix(task + " ") }, "no line for \(task)")
        }
        // Defaults from docs/DATASETS.md's field tables; file tasks' paths are required.
        for field in ["samples=5000", "max_length=50", "min_length=2", "modulus=97", "train_size=10000"] {
            XCTAssertTrue(text.contains(field), "missing \(field)")
        }
        XCTAssertTrue(text.contains("=?"), "required fields are not marked")
    }

    func testDescribeParityShowsSizesBalanceAndAnExample() throws {
        let result = try GuidanceExecutable.run(["tasks", "--describe", "parity", "--task-opt", "max_length=8",
                                                 "--task-opt", "train_size=200", "--task-opt", "validation_size=20",
                                                 "--task-opt", "test_size=30"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("parity:") }, "the registry description comes first")
        XCTAssertTrue(lines.contains { $0.contains("max_length") && $0.contains("default 50") })
        XCTAssertTrue(lines.contains("examples  train 200, validation 20, test 30"), result.standardOutput)
        XCTAssertTrue(lines.contains { $0.hasPrefix("input") && $0.contains("tokens length 8") })

        // Class counts per split add up to the split sizes, and both classes occur in training.
        let trainCounts = try XCTUnwrap(lines.first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("train ") && $0.contains("0:") })
        let counts = trainCounts.split(separator: " ").dropFirst().compactMap { Int($0.split(separator: ":").last!) }
        XCTAssertEqual(counts.count, 2)
        XCTAssertEqual(counts.reduce(0, +), 200)
        XCTAssertTrue(counts.allSatisfy { $0 > 50 }, "parity labels are roughly balanced: \(counts)")

        // The example: bits as tokens 1/2 (at most 8, the rest padding), and its class.
        let inputIndex = try XCTUnwrap(lines.firstIndex { $0.contains("input (") && $0.contains("tokens") })
        let tokens = lines[inputIndex + 1].split(separator: " ").compactMap { Int($0) }
        XCTAssertTrue((2...8).contains(tokens.count) && tokens.allSatisfy { $0 == 1 || $0 == 2 }, lines[inputIndex + 1])
        let label = try XCTUnwrap(lines.first { $0.contains("target: class") })
        XCTAssertTrue(label.hasSuffix("class \(tokens.filter { $0 == 2 }.count % 2)"), "label is the parity of the ones: \(label)")
    }

    func testDescribeMNIST1DShowsASignal() throws {
        let result = try GuidanceExecutable.run(["tasks", "mnist1d", "--task-opt", "samples=300"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("examples  train 216, validation 24, test 60"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("1×40 signal"))
        XCTAssertTrue(result.standardOutput.contains("▁") || result.standardOutput.contains("█"))
    }

    func testUnknownTaskAndBadFieldAreClearErrors() throws {
        let unknown = try GuidanceExecutable.run(["tasks", "--describe", "parit"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.standardError.contains("parity"), unknown.standardError)

        let bad = try GuidanceExecutable.run(["tasks", "--describe", "parity", "--task-opt", "max_length=1", "--task-opt", "min_length=5"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.standardError.contains("max_length"), bad.standardError)

        let orphan = try GuidanceExecutable.run(["tasks", "--task-opt", "max_length=4"])
        XCTAssertNotEqual(orphan.status, 0)
        XCTAssertTrue(orphan.standardError.contains("--describe"), orphan.standardError)
    }
}
