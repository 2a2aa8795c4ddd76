import Foundation
import XCTest

/// `guidance-bench summary` end to end on hand-written result lines: medians across runs, ratios and goal statuses.
/// (The suites themselves are timed by `scripts/bench`, never by tests.)
final class BenchCommandTests: XCTestCase {
    private func line(_ suite: String, _ name: String, _ impl: String, median: Double, min: Double, stepMs: Double? = nil) -> String {
        var fields = "\"suite\":\"\(suite)\",\"case\":\"\(name)\",\"impl\":\"\(impl)\",\"threads\":2,\"steps\":10,"
            + "\"median_ms\":\(median),\"min_ms\":\(min),\"max_ms\":\(median * 2)"
        if let stepMs { fields += ",\"step_ms\":\(stepMs)" }
        return "{\(fields)}"
    }

    private func summary(_ lines: [String]) throws -> (status: Int32, output: String, error: String) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try GuidanceExecutable.run(["summary", url.path], product: "guidance-bench")
        return (result.status, result.standardOutput, result.standardError)
    }

    func testMediansAcrossRunsAndGoalStatuses() throws {
        // Three runs each; medians 20 (swift guided), 10 (unguided), 100 (reference): 2.00× and 0.20×.
        let lines = [18.0, 20, 50].map { line("guidance", "guided", "swift", median: $0, min: $0 - 1) }
            + [10.0, 9, 30].map { line("guidance", "unguided", "swift", median: $0, min: $0 - 1) }
            + [100.0, 90, 110].map { line("guidance", "reference", "pytorch", median: $0, min: $0) }
            + [40.0, 44, 36].map { line("guidance", "single-pass-fused-adam", "pytorch", median: $0, min: $0 - 2) }
            + [line("data", "mnist1d", "swift", median: 0.5, min: 0.4, stepMs: 5)]
        let result = try summary(lines)
        XCTAssertEqual(result.status, 0, result.error)
        // Minima: guided 17, 19, 49 (median 19); unguided 9, 8, 29 (9); reference 100; fused-Adam PyTorch 38.
        // Per repeat: guided/unguided 1.8, 2.22, 1.67 (median 1.8); guided/reference 0.18, 0.22, 0.45 (0.22).
        XCTAssertTrue(result.output.contains("guided / our unguided: 2.00× [by minima 2.11×; per-run median 1.80×] (goal ≤ 1.50×) NOT met"),
                      result.output)
        XCTAssertTrue(result.output.contains("guided / PyTorch reference algorithm: 0.20× [by minima 0.19×; per-run median 0.22×] (goal ≤ 0.60×) met"),
                      result.output)
        XCTAssertTrue(result.output.contains("(extra) guided / PyTorch single-pass with Adam(fused=True): 0.50× [by minima 0.50×; per-run median 0.45×]"), result.output)
        XCTAssertTrue(result.output.contains("guided / PyTorch single-pass algorithm: not measured"), result.output)
        XCTAssertTrue(result.output.contains("data mnist1d (swift): batch / step: 10.00% (goal ≤ 5.00%) NOT met"), result.output)
        XCTAssertFalse(result.output.contains("engine"), "no engine goal without engine results")
        let guidedRow = try XCTUnwrap(result.output.split(separator: "\n").first { $0.contains("guided") && $0.contains("swift") && !$0.contains("unguided") })
        XCTAssertTrue(guidedRow.contains("20.000") && guidedRow.contains("(18.000–50.000)"), String(guidedRow))
    }

    func testMalformedLineNamesFileAndLine() throws {
        let result = try summary([line("engine", "mlp", "swift", median: 1, min: 1), "{\"suite\": 3}"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.error.contains(".jsonl:2"), result.error)
    }

    func testTheBenchmarksAreAProductOfTheirOwn() throws {
        for command in ["bench", "bench-coordinator"] {
            let result = try GuidanceExecutable.run([command, "engine"])
            XCTAssertNotEqual(result.status, 0, "guidance should ship no benchmarks, yet `guidance \(command)` exists")
        }
        let help = try GuidanceExecutable.run(["--help"], product: "guidance-bench")
        XCTAssertEqual(help.status, 0, help.standardError)
        XCTAssertTrue(help.standardOutput.contains("coordinator") && help.standardOutput.contains("suite"), help.standardOutput)
    }

    func testCasesOptionNamesTheGuidanceCases() throws {
        let unknown = try GuidanceExecutable.run(["suite", "guidance", "--cases", "guided,fast"], product: "guidance-bench")
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.standardError.contains("unguided, guided, guided-uncached"), unknown.standardError)
        let otherSuite = try GuidanceExecutable.run(["suite", "engine", "--cases", "guided"], product: "guidance-bench")
        XCTAssertNotEqual(otherSuite.status, 0)
        XCTAssertTrue(otherSuite.standardError.contains("only the guidance suite"), otherSuite.standardError)
    }

    /// The guidance suite checks its guided step against the uncached and the unguided one before timing it (no
    /// figure is asserted: one step, to see the check run and pass on this build).
    func testGuidanceSuiteChecksItsGuidedStepBeforeTimingIt() throws {
        let result = try GuidanceExecutable.run(["suite", "guidance", "--cases", "guided", "--steps", "1", "--warmup", "0",
                                                 "--threads", "1"], product: "guidance-bench")
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("bench check: one guided step, cached vs uncached"), result.standardError)
        let lines = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }
        XCTAssertEqual(lines.count, 1, result.standardOutput)
        XCTAssertTrue(lines.first?.contains("\"case\":\"guided\"") == true, result.standardOutput)
    }

    func testUnknownSuiteIsRefused() throws {
        let result = try GuidanceExecutable.run(["speed"], product: "guidance-bench")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("unknown suite"), result.standardError)
    }
}
