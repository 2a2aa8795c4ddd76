import Report
import Sweep
import XCTest

final class MatrixBuilderTests: XCTestCase {
    func matrix(_ metric: String = "test_accuracy", _ comparison: Comparison = .guidability(.guided, .trained),
                records: [JobRecord] = Fixtures.sweep) throws -> GuidabilityMatrix {
        let all = Fixtures.builder(records).matrices(task: "parity", metric: metric, comparison: comparison)
        XCTAssertEqual(all.count, 1)
        return try XCTUnwrap(all.first)
    }

    func testPairsBySeedAndComputesStatisticsByHand() throws {
        let m = try matrix()
        XCTAssertEqual(m.guides, ["rnn"])
        XCTAssertEqual(m.targets, ["cnn", "deep-fcn"])  // by name without a manifest
        let cell = try XCTUnwrap(m.cell(guide: "rnn", target: "deep-fcn"))
        // Seeds 0–2 pair; Δ = +0.05, +0.02, −0.01 (seed 3 waits for its baseline).
        XCTAssertEqual(cell.pairs.map(\.seed), [0, 1, 2])
        XCTAssertEqual(cell.pairs.map(\.delta)[0], 0.05, accuracy: 1e-12)
        XCTAssertEqual(cell.pairs.map(\.delta)[2], -0.01, accuracy: 1e-12)
        let d = try XCTUnwrap(cell.delta)
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.mean, 0.02, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(d.standardDeviation), 0.03, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(d.standardError), 0.03 / 3.0.squareRoot(), accuracy: 1e-12)
        // t_{0.975, 2} = 4.302653: half-width 4.302653 × 0.0173205 = 0.0745241.
        let ci = try XCTUnwrap(d.interval)
        XCTAssertEqual(ci.lowerBound, 0.02 - 0.0745241, accuracy: 1e-6)
        XCTAssertEqual(ci.upperBound, 0.02 + 0.0745241, accuracy: 1e-6)
        XCTAssertEqual(cell.won, 2)
        XCTAssertEqual(try XCTUnwrap(cell.relativePercent), 100 * 0.02 / 0.6, accuracy: 1e-9)
        XCTAssertEqual(cell.issues.pending, 1)
        XCTAssertEqual(cell.marks, ["1 pending"])
    }

    func testSinglePairIsMarkedNotHidden() throws {
        let cell = try XCTUnwrap(try matrix().cell(guide: "rnn", target: "cnn"))
        XCTAssertEqual(cell.count, 1)
        XCTAssertEqual(try XCTUnwrap(cell.delta).mean, 0.15, accuracy: 1e-12)
        XCTAssertNil(cell.delta?.interval)
        XCTAssertEqual(cell.marks, ["n=1"])
    }

    func testBaselineRowIsEachTargetsOwnMetric() throws {
        let m = try matrix()
        XCTAssertEqual(m.baselines?.map(\.target), ["cnn", "deep-fcn"])
        let fcn = try XCTUnwrap(m.baseline(target: "deep-fcn")?.summary)
        XCTAssertEqual(fcn.mean, 0.6, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(fcn.standardError), 0.1 / 3.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(m.baseline(target: "cnn")?.summary?.count, 1)
    }

    func testLowerIsBetterMetricsAreSignNormalized() throws {
        let m = try matrix("test_loss")
        XCTAssertEqual(m.direction, .lowerIsBetter)
        let cell = try XCTUnwrap(m.cell(guide: "rnn", target: "deep-fcn"))
        // Loss 0.8 vs 1.0 is better (+0.2), 2.5 vs 2.0 worse (−0.5), 2.9 vs 3.0 better (+0.1).
        for (pair, expected) in zip(cell.pairs, [0.2, -0.5, 0.1]) { XCTAssertEqual(pair.delta, expected, accuracy: 1e-12) }
        XCTAssertEqual(try XCTUnwrap(cell.delta).mean, (0.2 - 0.5 + 0.1) / 3, accuracy: 1e-12)
        XCTAssertEqual(cell.won, 2)
        // Relative to the mean baseline loss of the paired seeds, 2.0.
        XCTAssertEqual(try XCTUnwrap(cell.relativePercent), 100 * (-0.2 / 3) / 2.0, accuracy: 1e-9)
        // Seed 3's guided run finished without a loss: counted as "no value", never as a pair.
        XCTAssertEqual(cell.issues.pending, 0)
        XCTAssertEqual(cell.issues.missingMetric, 1)
    }

    func testDivergedAndFailedRunsAreCountedPerSide() throws {
        let m = try matrix("test_accuracy", .guidability(.guided, .untrained))
        let fcn = try XCTUnwrap(m.cell(guide: "rnn", target: "deep-fcn"))
        XCTAssertEqual(fcn.pairs.map(\.seed), [0, 2])
        XCTAssertEqual(fcn.issues.treatmentDiverged, 1)
        XCTAssertEqual(fcn.marks, ["1 diverged"])
        XCTAssertEqual(try XCTUnwrap(fcn.delta).mean, (-0.10 + 0.10) / 2, accuracy: 1e-12)
        let cnn = try XCTUnwrap(m.cell(guide: "rnn", target: "cnn"))
        XCTAssertNil(cnn.delta)
        XCTAssertEqual(cnn.issues.treatmentFailed, 1)
        XCTAssertEqual(cnn.marks, ["1 failed"])
        XCTAssertEqual(m.formatDelta(0), "0.0")
        XCTAssertEqual(m.cellValueText(cnn), "—")
    }

    func testTrainedMinusUntrainedPairsGuidedRunsWithEachOther() throws {
        let comparison = Comparison(treatment: Arm(.guided, .trained), reference: Arm(.guided, .untrained))
        let m = try matrix("test_accuracy", comparison)
        XCTAssertNil(m.baselines)
        let cell = try XCTUnwrap(m.cell(guide: "rnn", target: "deep-fcn"))
        // Seed 0: 0.55 − 0.40; seed 1: untrained diverged; seed 2: 0.69 − 0.80; seed 3: no untrained run.
        XCTAssertEqual(cell.pairs.map(\.seed), [0, 2])
        XCTAssertEqual(try XCTUnwrap(cell.delta).mean, (0.15 - 0.11) / 2, accuracy: 1e-12)
        XCTAssertEqual(cell.issues.referenceDiverged, 1)
        XCTAssertEqual(cell.issues.pending, 1)
        XCTAssertEqual(cell.marks, ["ref 1 diverged", "1 pending"])
    }

    func testRunsWithOtherTrainingSettingsNeverPair() throws {
        var records = Fixtures.sweep
        let fast = TrainingConfig(steps: 100, optimizer: OptimizerConfig(lr: 0.01))
        records.append(Fixtures.record(target: Fixtures.fcn, guide: Fixtures.rnn, condition: .guided, state: .trained,
                                       seed: 0, metrics: Fixtures.accuracy(0.99), training: fast))
        let all = Fixtures.builder(records).matrices(task: "parity", metric: "test_accuracy",
                                                     comparison: .guidability(.guided, .trained))
        XCTAssertEqual(all.map(\.setting), ["optimizer.lr=0.001", "optimizer.lr=0.01"])
        // The lr=0.01 run has no baseline with that lr: pending, never paired with the lr=0.001 baseline.
        let other = try XCTUnwrap(all[1].cell(guide: "rnn", target: "deep-fcn"))
        XCTAssertEqual(other.count, 0)
        XCTAssertEqual(other.issues.pending, 1)
        XCTAssertEqual(all[0].cell(guide: "rnn", target: "deep-fcn")?.count, 3)
    }

    func testLabelsDoNotSplitIdenticalModels() throws {
        var records = Fixtures.sweep
        // The same fcn under another label is the same model: its baseline pairs with the guided runs.
        records[1].spec.target.label = "fcn-renamed"
        XCTAssertEqual(try matrix(records: records).cell(guide: "rnn", target: "deep-fcn")?.count, 3)
    }
}
