import Foundation
@testable import Report
import Sweep
import XCTest

final class RendererTests: XCTestCase {
    func trainedMatrix() throws -> GuidabilityMatrix {
        try XCTUnwrap(Fixtures.builder().matrices(task: "parity", metric: "test_accuracy",
                                                  comparison: .guidability(.guided, .trained)).first)
    }

    /// Values by hand (see `Fixtures.sweep`): deep-fcn Δ = +2.0 pp, 95% half-width 4.3027 × 1.7321 = 7.5 pp,
    /// 2 of 3 seeds won, seed 3 pending; cnn one pair, +15.0 pp; baselines 60.0% ± se 5.8 and 30.0% (one seed).
    func testMarkdownExact() throws {
        let expected = """
        ### parity · test\\_accuracy · guided (trained guide) vs baseline

        Cell: mean paired improvement over the target's baseline in percentage points (same seed; positive = better, higher test\\_accuracy is better) ± half-width of the 95% interval (Student t, n−1 d.f.); seeds won/paired; \\* marks a decided cell (its interval excludes 0), cells without \\* are drawn muted. Baseline row: mean ± standard error.

        | guide \\\\ target | cnn | deep-fcn |
        |---|---:|---:|
        | *baseline* | 30.0% (n=1) | 60.0% ±5.8 |
        | rnn | +15.0 (n=1) | +2.0 ±7.5 (2/3 · 1 pending) |

        """
        XCTAssertEqual(MarkdownRenderer.render([try trainedMatrix()]), expected)
    }

    func testTableWithoutColourHasNoEscapesAndFitsTheWidth() throws {
        let text = TableRenderer(width: 80, color: false).render(try trainedMatrix())
        XCTAssertFalse(text.contains("\u{1B}"))
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 80, String(line)) }
        XCTAssertTrue(text.contains("+2.0 ±7.5"))
        XCTAssertTrue(text.contains("2/3 · 1 pending"))
        XCTAssertTrue(text.contains("+15.0"))
        XCTAssertTrue(text.contains("n=1"))
        let coloured = TableRenderer(width: 80, color: true).render(try trainedMatrix())
        XCTAssertTrue(coloured.contains("\u{1B}[48;2;"))
    }

    func testNarrowTerminalWrapsColumnsIntoBlocks() throws {
        let text = TableRenderer(width: 40, color: false).render(try trainedMatrix())
        XCTAssertEqual(text.components(separatedBy: "guide\\target").count - 1, 2, text)
    }

    /// Dyadic values so every number is exact: baseline 0.5, 0.625, 0.75; guided 0.5625, 0.625, 0.6875
    /// (Δ = +0.0625, 0, −0.0625: mean 0, sd 0.0625); seed 3 guided run diverged.
    func testCSVExact() throws {
        let fcn = Fixtures.fcn, rnn = Fixtures.rnn
        var records: [JobRecord] = []
        for (seed, (b, g)) in [(0.5, 0.5625), (0.625, 0.625), (0.75, 0.6875)].enumerated() {
            records.append(Fixtures.record(target: fcn, seed: seed, metrics: ["test_accuracy": b]))
            records.append(Fixtures.record(target: fcn, guide: rnn, condition: .guided, state: .untrained, seed: seed,
                                           metrics: ["test_accuracy": g]))
        }
        records.append(Fixtures.record(target: fcn, seed: 3, metrics: ["test_accuracy": 0.625]))
        records.append(Fixtures.record(target: fcn, guide: rnn, condition: .guided, state: .untrained, seed: 3,
                                       status: .diverged(step: 7, lastFiniteLoss: 1)))
        let matrices = try Fixtures.builder(records).matrices(for: MatrixQuery())
        let t = StudentT.quantile(0.975, degreesOfFreedom: 2), t3 = StudentT.quantile(0.975, degreesOfFreedom: 3)
        let se = 0.0625 / 3.0.squareRoot()
        // Baseline over 4 seeds: mean 0.625, sd = √((0.015625 + 0 + 0.015625 + 0) / 3).
        let bsd = (0.03125 / 3).squareRoot(), bse = bsd / 2
        let common = "parity,test_accuracy,higher-is-better,guided (untrained guide),baseline,"
        let expected = CSVRenderer.header.joined(separator: ",") + "\n"
            + common + ",baseline,,deep-fcn,4,0.625,\(bsd),\(bse),\(0.625 - t3 * bse),\(0.625 + t3 * bse),,,,,0,0,,,\n"
            + common + ",delta,rnn,deep-fcn,3,0.0,0.0625,\(se),\(-t * se),\(t * se),1,0.0,1,0,0,0,0,0,1 diverged\n"
        XCTAssertEqual(CSVRenderer.render(matrices), expected)
    }

    func testCSVQuotesCellsThatNeedIt() {
        XCTAssertEqual(CSVRenderer.line(["a,b", "say \"hi\"", "plain"]), "\"a,b\",\"say \"\"hi\"\"\",plain\n")
        // "\r\n" is one Swift Character equal to neither "\r" nor "\n": it was written unquoted before.
        XCTAssertEqual(CSVRenderer.line(["a\r\nb", "x"]), "\"a\r\nb\",x\n")
    }

    /// Two seeds with the same Δ = +0.25 (baselines 0.5, guided 0.75): sd 0, interval [0.25, 0.25], 50% relative.
    func testJSONExact() throws {
        var records: [JobRecord] = []
        for seed in 0..<2 {
            records.append(Fixtures.record(target: Fixtures.fcn, seed: seed, metrics: ["test_accuracy": 0.5]))
            records.append(Fixtures.record(target: Fixtures.fcn, guide: Fixtures.rnn, condition: .guided, state: .trained,
                                           seed: seed, metrics: ["test_accuracy": 0.75]))
        }
        let text = try JSONRenderer.render(try Fixtures.builder(records).matrices(for: MatrixQuery()))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let matrix = try XCTUnwrap((json["matrices"] as? [[String: Any]])?.first)
        let ids = records.map(\.id.rawValue)
        let expected: [String: Any] = [
            "task": "parity", "metric": "test_accuracy", "direction": "higher-is-better", "setting": "", "level": 0.95,
            "comparison": ["treatment": ["condition": "guided", "guide_state": "trained"], "reference": ["condition": "baseline"]],
            "guides": ["rnn"], "targets": ["deep-fcn"],
            "baselines": [["target": "deep-fcn", "diverged": 0, "failed": 0,
                           "summary": ["n": 2, "mean": 0.5, "sd": 0.0, "se": 0.0, "ci": [0.5, 0.5], "level": 0.95]]],
            "cells": [[[
                "pairs": [["seed": 0, "treatment": 0.75, "reference": 0.5, "delta": 0.25],
                          ["seed": 1, "treatment": 0.75, "reference": 0.5, "delta": 0.25]],
                "delta": ["n": 2, "mean": 0.25, "sd": 0.0, "se": 0.0, "ci": [0.25, 0.25], "level": 0.95],
                "won": 2, "relative_percent": 50.0,
                "issues": ["treatment_diverged": 0, "treatment_failed": 0, "reference_diverged": 0,
                           "reference_failed": 0, "missing_metric": 0, "pending": 0],
                "treatment_runs": [ids[1], ids[3]], "reference_runs": [ids[0], ids[2]],
            ]]],
        ]
        XCTAssertEqual(NSDictionary(dictionary: matrix), NSDictionary(dictionary: expected), text)
        XCTAssertTrue((json["interval"] as? String)?.contains("Student t") == true)
    }

    func testColourScaleIsCentredAndDiverging() {
        let scale = ColorScale(limit: 2)
        XCTAssertEqual(scale.color(0).hex, "#f7f7f7")
        XCTAssertEqual(scale.color(2).hex, "#0571b0")
        XCTAssertEqual(scale.color(-5).hex, "#ca0020")  // clamped
        XCTAssertGreaterThan(scale.color(1).b, scale.color(1).r)  // better is blue
        XCTAssertGreaterThan(scale.color(-1).r, scale.color(-1).b)  // worse is red
        XCTAssertEqual(ColorScale.niceLimit(0.173), 0.2)
        XCTAssertEqual(ColorScale.niceLimit(20.3), 25)
        XCTAssertEqual(ColorScale.niceLimit(3), 5)
    }
}
