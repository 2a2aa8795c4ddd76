import Sweep
import XCTest

/// Manifest keys for decisive matrices: adaptive `seeds`, `max_jobs`, `trains_if`, and their bad input.
final class ManifestDecisionTests: XCTestCase {
    let body = """
        tasks: [parity]
        targets: [{family: fcn}]
        guides: [{family: cnn}]
        """

    func testAdaptiveSeedsPlanTheInitialSeedsAndTheWorstCaseHasMax() throws {
        let manifest = try decodeManifest("seeds: {initial: 3, max: 12, until: decided}\nmax_jobs: 100\n" + body)
        XCTAssertEqual(manifest.seeds, [0, 1, 2])
        XCTAssertEqual(manifest.seedPolicy, SeedPolicy(initial: 3, max: 12, until: .decided))
        XCTAssertEqual(manifest.maxJobs, 100)
        XCTAssertEqual(manifest.worstCase.seeds, Array(0..<12))
        XCTAssertEqual(Plan(manifest).count * 4, Plan(manifest.worstCase).count)
        // Every initial job is a job of the worst case (same ids): resuming and reports see one sweep.
        let worst = Plan(manifest.worstCase)
        XCTAssertTrue(Plan(manifest).jobs.allSatisfy { worst[$0.id] != nil })
    }

    func testHalfWidthRuleAndMetric() throws {
        let manifest = try decodeManifest("seeds: {initial: 2, max: 8, until: {half_width: 2.5}, metric: val_accuracy}\n" + body)
        XCTAssertEqual(manifest.seedPolicy, SeedPolicy(initial: 2, max: 8, until: .halfWidth(2.5), metric: "val_accuracy"))
    }

    func testInitialAloneIsFixedSeeds() throws {
        let manifest = try decodeManifest("seeds: {initial: 4}\n" + body)
        XCTAssertEqual(manifest.seeds, [0, 1, 2, 3])
        XCTAssertNil(manifest.seedPolicy)
    }

    func testUntilWithoutMaxIsAnErrorNamingTheField() {
        let found = issues("seeds: {initial: 3, until: decided}\n" + body)
        XCTAssertEqual(found.map(\.path), ["seeds.until"], "\(found)")
        XCTAssertEqual(found.first?.line, 1)
        XCTAssertTrue(found.first?.message.contains("needs max") == true, "\(found)")
    }

    func testMaxBelowInitialIsAnErrorNamingTheField() {
        let found = issues("seeds: {initial: 5, max: 3}\n" + body)
        XCTAssertEqual(found.map(\.path), ["seeds.max"], "\(found)")
        XCTAssertTrue(found.first?.message.contains("max (3) is below initial (5)") == true, "\(found)")
    }

    func testOtherBadSeedPolicies() {
        XCTAssertEqual(issues("seeds: {max: 3}\n" + body).map(\.path), ["seeds.initial"])
        XCTAssertEqual(issues("seeds: {initial: 2, max: 4, until: decide}\n" + body).map(\.path), ["seeds.until"])
        XCTAssertEqual(issues("seeds: {initial: 2, max: 4, until: {half_width: 0}}\n" + body).map(\.path), ["seeds.until.half_width"])
        XCTAssertEqual(issues("seeds: {initial: 2, maxx: 4}\n" + body).map(\.path), ["seeds.maxx"])
        XCTAssertEqual(issues("max_jobs: 0\n" + body).map(\.path), ["max_jobs"])
    }

    /// A validator that knows the task's metrics (the registry's, in the executable).
    struct KnownMetrics: SpecValidator {
        func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String] { [] }
        func metrics(task: TaskSpec) -> Set<String>? { ["test_accuracy", "test_loss", "val_accuracy"] }
    }

    func testTrainsIfThresholds() throws {
        let manifest = try decodeManifest("trains_if: {test_accuracy: 0.2, test_loss: 1.5}\n" + body, validators: [KnownMetrics()])
        XCTAssertEqual(manifest.trainsIf, ["test_accuracy": 0.2, "test_loss": 1.5])
    }

    func testTrainsIfMetricTheTaskDoesNotHaveIsAnErrorNamingTheField() {
        let found = issues("trains_if: {test_acuracy: 0.2}\n" + body, validators: [KnownMetrics()])
        XCTAssertEqual(found.map(\.path), ["trains_if.test_acuracy"], "\(found)")
        XCTAssertEqual(found.first?.hint, "did you mean \"test_accuracy\"?")
        XCTAssertEqual(issues("trains_if: {test_accuracy: high}\n" + body, validators: [KnownMetrics()]).map(\.path),
                       ["trains_if.test_accuracy"])
    }
}
