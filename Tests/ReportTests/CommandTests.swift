import Foundation
import XCTest

/// The `guidance matrix` and `guidance report` commands, run as the built binary on a demo results directory.
final class CommandTests: XCTestCase {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func guidance(_ arguments: [String]) throws -> Output {
        // On Linux the test runner lives next to the built products (.build/debug).
        let binary = Bundle.main.bundleURL.appendingPathComponent("guidance")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("\(binary.path) is not built; run `swift build` first")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "passive"
        process.environment = environment
        let outURL = try temporaryDirectory().appendingPathComponent("out")
        FileManager.default.createFile(atPath: outURL.path + ".1", contents: nil)
        FileManager.default.createFile(atPath: outURL.path + ".2", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outURL.path + ".1"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: outURL.path + ".2"))
        try process.run()
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: try String(contentsOfFile: outURL.path + ".1", encoding: .utf8),
                      stderr: try String(contentsOfFile: outURL.path + ".2", encoding: .utf8))
    }

    func testMatrixFormats() throws {
        let dir = try demoSweepDirectory().path
        let table = try guidance(["matrix", dir, "--condition", "guided", "--guide-state", "trained", "--no-color"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("mnist1d · test_accuracy · guided (trained guide) vs baseline\n"), table.stdout)
        XCTAssertFalse(table.stdout.contains("\u{1B}"))
        let csv = try guidance(["matrix", dir, "--format", "csv", "--metric", "test_loss", "--compare", "untrained-guide"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.split(separator: "\n")
        XCTAssertEqual(rows.count, 1 + 3 * 2 * 3)  // header + 3 conditions × 2 guides × 3 targets
        XCTAssertTrue(rows.dropFirst().allSatisfy { $0.hasPrefix("mnist1d,test_loss,lower-is-better,") })
        let svgFile = try temporaryDirectory().appendingPathComponent("m.svg").path
        let svg = try guidance(["matrix", dir, "--format", "svg", "--condition", "distill", "--guide-state", "trained",
                                "--out", svgFile])
        XCTAssertEqual(svg.status, 0, svg.stderr)
        XCTAssertNil(XMLWellFormed(try String(contentsOfFile: svgFile, encoding: .utf8)).error)
    }

    func testBadInputsGetClearMessages() throws {
        let dir = try demoSweepDirectory().path
        let metric = try guidance(["matrix", dir, "--metric", "test_acc"])
        XCTAssertNotEqual(metric.status, 0)
        XCTAssertTrue(metric.stderr.contains("available: guidance_loss, test_accuracy, test_loss, train_loss, val_accuracy"), metric.stderr)
        let svg = try guidance(["matrix", dir, "--format", "svg"])
        XCTAssertNotEqual(svg.status, 0)
        XCTAssertTrue(svg.stderr.contains("narrow it with --task"), svg.stderr)
        let condition = try guidance(["matrix", dir, "--condition", "guidid"])
        XCTAssertTrue(condition.stderr.contains("guided, guided-init, guided-shuffled, guided-shuffled-init, noise-warmup, distill, distill-init"), condition.stderr)
        let empty = try guidance(["report", try temporaryDirectory().path])
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.stderr.contains("not a results directory"), empty.stderr)
    }

    func testReportWritesIntoTheResultsDirectory() throws {
        let dir = try demoSweepDirectory()
        let run = try guidance(["report", dir.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertNil(XMLWellFormed(html).error)
        XCTAssertTrue(run.stdout.contains("report.html (123 records)"), run.stdout)
        XCTAssertTrue(html.contains("No similarity measurements"))

        let csv = dir.appendingPathComponent("cka.csv")
        try "guide,target,cka\ncnn,deep-fcn,0.2\ncnn,rnn,0.6\nresnet,wide-fcn,0.4\n".write(to: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("with-cka.html")
        let withCKA = try guidance(["report", dir.path, "--similarities", csv.path, "--out", out.path])
        XCTAssertEqual(withCKA.status, 0, withCKA.stderr)
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).contains("Spearman ρ = "))
        try "cnn,deep-fcn,lots\n".write(to: csv, atomically: true, encoding: .utf8)
        let bad = try guidance(["report", dir.path, "--similarities", csv.path, "--out", out.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("cka.csv:1: expected guide,target,similarity"), bad.stderr)
    }

    func testRunsShowsEachConfigurationSeedBySeed() throws {
        let dir = try demoSweepDirectory().path
        let csv = try guidance(["runs", dir, "--format", "csv", "--trains-if", "test_accuracy=0.5"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let rows = csv.stdout.split(separator: "\n").map(String.init)
        // 3 targets × (baseline + 3 guided conditions × 2 guides × 2 states) + the 2 guides' own training runs
        XCTAssertEqual(rows.count, 1 + 3 * (1 + 3 * 2 * 2) + 2, csv.stdout)
        XCTAssertTrue(rows[0].hasPrefix("task,target,condition,guide,guide_state,setting,metric,n,mean,sd,se,seed_0,seed_1,seed_2,"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("mnist1d,deep-fcn,baseline,,,,test_accuracy,3,"), rows[1])
        XCTAssertTrue(rows.contains { $0.hasPrefix("mnist1d,cnn,baseline,,,,test_accuracy,3,") }, "the guide's own training runs")

        let table = try guidance(["runs", dir, "--metric", "test_loss"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.hasPrefix("target    condition    guide   guide state  test_loss"), table.stdout)

        try assertFails(["runs", dir, "--trains-if", "test_accuracy>0.5"], saying: "--trains-if test_accuracy>0.5: write METRIC=VALUE")
        try assertFails(["runs", dir, "--trains-if", "train_acc=0.5"], saying: "--trains-if train_acc: no record has that metric")
        try assertFails(["runs", dir, "--metric", "test_acc"], saying: "test_acc")
    }

    /// Runs `arguments`, which must exit non-zero with `message` in standard error.
    func assertFails(_ arguments: [String], saying message: String, line: UInt = #line) throws {
        let result = try guidance(arguments)
        XCTAssertNotEqual(result.status, 0, line: line)
        XCTAssertTrue(result.stderr.contains(message), result.stderr, line: line)
    }
}
