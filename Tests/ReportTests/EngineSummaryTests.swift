import Report
import Sweep
import XCTest

/// The report's sweep table names each host's engine, so that a slow machine in a cluster shows.
final class EngineSummaryTests: XCTestCase {
    func testDistinctEnginesPerHostAreListedAndOlderRecordsAreSkipped() {
        let fast = EngineEnvironment(blas: "OpenBLAS", blasVersion: "0.3.21", blasCore: "Cooperlake", threads: 8, cpu: "Xeon (family 6, model 207)")
        let slow = EngineEnvironment(blas: "OpenBLAS", blasVersion: "0.3.21", blasCore: "Prescott", threads: 8, cpu: "Xeon (family 6, model 207)")
        var records = [
            Fixtures.record(target: Fixtures.fcn, seed: 0, host: "a"), Fixtures.record(target: Fixtures.fcn, seed: 1, host: "a"),
            Fixtures.record(target: Fixtures.fcn, seed: 2, host: "b"), Fixtures.record(target: Fixtures.fcn, seed: 3, host: "c"),
        ]
        records[0].environment = fast
        records[1].environment = fast
        records[2].environment = slow
        let summary = SweepSummary(SweepResults(records: records))
        XCTAssertEqual(summary.engines, [
            "a: OpenBLAS 0.3.21 Cooperlake, 8 threads, Xeon (family 6, model 207)",
            "b: OpenBLAS 0.3.21 Prescott, 8 threads, Xeon (family 6, model 207)",
        ])
    }
}
