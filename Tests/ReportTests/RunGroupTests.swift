import Report
import Sweep
import XCTest

/// `RecordIndex.runGroups` and its renderers on the hand-made sweep of `Fixtures`.
final class RunGroupTests: XCTestCase {
    func group(_ groups: [RunGroup], _ target: String, _ condition: Condition, _ state: GuideState? = nil) throws -> RunGroup {
        try XCTUnwrap(groups.first { $0.target == target && $0.condition == condition && $0.guideState == state })
    }

    func testGroupsHoldEverySeedAndCountOutcomes() throws {
        let groups = try RecordIndex(records: Fixtures.sweep).runGroups(metrics: ["test_accuracy", "test_loss"],
                                                                        thresholds: ["test_accuracy": 0.6])
        XCTAssertEqual(groups.count, 6)  // deep-fcn and cnn × baseline, guided untrained, guided trained
        // Without a manifest, targets come in name order; then baseline, untrained, trained.
        XCTAssertEqual(groups.map(\.target), ["cnn", "cnn", "cnn", "deep-fcn", "deep-fcn", "deep-fcn"])
        XCTAssertEqual(groups.suffix(3).map(\.condition), [.baseline, .guided, .guided])
        XCTAssertEqual(groups.suffix(3).map(\.guideState), [nil, .untrained, .trained])

        let baseline = try group(groups, "deep-fcn", .baseline)
        XCTAssertEqual(baseline.seeds, [0, 1, 2])
        XCTAssertNil(baseline.guide)
        XCTAssertEqual(baseline.metrics[0].values, [0.50, 0.60, 0.70])
        let summary = try XCTUnwrap(baseline.metrics[0].summary)
        XCTAssertEqual(summary.mean, 0.60, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(summary.standardError), 0.1 / 3.0.squareRoot(), accuracy: 1e-12)  // sd 0.1
        XCTAssertEqual(baseline.trains, TrainCount(trained: 2, finished: 3))  // 0.60 and 0.70 reach 0.6

        // Seed 1 diverged: counted, not averaged, and it does not train.
        let untrained = try group(groups, "deep-fcn", .guided, .untrained)
        XCTAssertEqual(untrained.seeds, [0, 2])
        XCTAssertEqual(untrained.metrics[0].values, [0.40, 0.80])
        XCTAssertEqual(untrained.diverged, 1)
        XCTAssertEqual(untrained.trains, TrainCount(trained: 1, finished: 3))
        XCTAssertEqual(untrained.guide, "rnn")

        // A metric a seed lacks is nil in its place; the summary covers the others.
        let trained = try group(groups, "deep-fcn", .guided, .trained)
        XCTAssertEqual(trained.seeds, [0, 1, 2, 3])
        XCTAssertEqual(trained.metrics[1].values, [0.8, 2.5, 2.9, nil])
        XCTAssertEqual(trained.metrics[1].summary?.count, 3)

        let failed = try group(groups, "cnn", .guided, .untrained)
        XCTAssertEqual(failed.seeds, [])
        XCTAssertEqual(failed.failed, 1)
        XCTAssertNil(failed.metrics[0].summary)
        XCTAssertEqual(failed.trains, TrainCount(trained: 0, finished: 0))
    }

    func testSettingLabelsNameOnlyWhatDiffers() throws {
        var records = Fixtures.sweep.filter { $0.spec.target == Fixtures.fcn }
        let template = records[3]  // guided, trained, seed 0
        for steps in [30, 300] {
            var spec = template.spec
            spec.condition = .guidedInit
            spec.guidance = GuidanceConfig(initSteps: steps).normalized(for: .guidedInit)
            var record = template
            record.spec = spec
            record.id = spec.id
            records.append(record)
        }
        let groups = try RecordIndex(records: records).runGroups()
        XCTAssertEqual(try group(groups, "deep-fcn", .baseline).setting, "")
        // guided reads no init_steps: its (default) value is not a difference worth a label
        XCTAssertEqual(try group(groups, "deep-fcn", .guided, .trained).setting, "")
        let initLabels = groups.filter { $0.condition == .guidedInit }.map(\.setting)
        XCTAssertEqual(initLabels, ["init_steps=30", "init_steps=300"])
    }

    func testDefaultColumnsPairTheTrainingMetricWithThePrimaryOne() {
        XCTAssertEqual(RecordIndex.defaultMetrics(among: ["test_accuracy", "train_accuracy", "test_loss"]),
                       ["train_accuracy", "test_accuracy"])
        XCTAssertEqual(RecordIndex.defaultMetrics(among: ["test_accuracy", "test_loss"]), ["test_accuracy"])
        XCTAssertEqual(RecordIndex.defaultMetrics(among: []), [])
    }

    func testRenderers() throws {
        let groups = try RecordIndex(records: Fixtures.sweep).runGroups(metrics: ["test_accuracy"],
                                                                        thresholds: ["test_accuracy": 0.6])
        let table = RunGroupRenderer.table(groups, thresholds: ["test_accuracy": 0.6])
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("target    condition  guide  guide state  test_accuracy"), lines[0])
        let baseline = try XCTUnwrap(lines.first { $0.hasPrefix("deep-fcn  baseline") })
        XCTAssertTrue(baseline.contains("60.0 ± 5.8     50.0, 60.0, 70.0"), baseline)
        XCTAssertTrue(baseline.hasSuffix("3  0/0              2 of 3"), baseline)
        XCTAssertTrue(table.contains("A seed trains when it finishes with test_accuracy ≥ 60.0%."), table)

        let markdown = RunGroupRenderer.markdown(groups, thresholds: [:])
        XCTAssertTrue(markdown.contains("| deep-fcn | guided | rnn | untrained | 60.0 ± 20.0 | 40.0, 80.0 | 2 | 1/0 |"), markdown)

        let csv = RunGroupRenderer.csv(groups).split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(csv[0], "task,target,condition,guide,guide_state,setting,metric,n,mean,sd,se,seed_0,seed_1,seed_2,seed_3,diverged,failed,trained,finished")
        XCTAssertTrue(csv.contains("parity,deep-fcn,guided,rnn,untrained,,test_accuracy,2,0.6000000000000001,0.28284271247461906,0.2,0.4,,0.8,,1,0,1,3"), csv.joined(separator: "\n"))

        let html = RunGroupRenderer.html(groups, thresholds: ["test_accuracy": 0.6])
        XCTAssertTrue(html.contains("<tr><td>deep-fcn</td><td>baseline</td><td>—</td><td>—</td><td class=\"num\">60.0 ± 5.8</td><td class=\"num\">50.0, 60.0, 70.0</td><td class=\"num\">3</td><td class=\"num\">0/0</td><td>2 of 3</td></tr>"), html)

        let json = try JSONSerialization.jsonObject(with: Data(try RunGroupRenderer.json(groups).utf8)) as? [String: Any]
        XCTAssertEqual((json?["groups"] as? [Any])?.count, 6)
    }

    /// A task whose options are all defaults (`train_examples: null` beside 500) is named plainly, not `mnist1d[={}]`.
    func testATaskWithoutOptionsIsNamedByItsNameBesideOnesWithOptions() throws {
        let small = TaskSpec(name: "mnist1d", options: ["train_examples": .int(500)])
        let full = TaskSpec(name: "mnist1d")
        let records = [small, full].enumerated().map { i, task in
            let spec = JobSpec(task: task, target: Fixtures.fcn, seed: 0)
            var record = Fixtures.record(target: Fixtures.fcn, seed: i, metrics: ["test_accuracy": 0.5])
            record.spec = spec
            record.id = spec.id
            return record
        }
        XCTAssertEqual(RecordIndex(records: records).taskNames, ["mnist1d[train_examples=500]", "mnist1d"])
    }
}
