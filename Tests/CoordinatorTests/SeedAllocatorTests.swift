import Coordinator
import Sweep
import XCTest

/// The adaptive-seed rule as a pure function: decided, undecided, at max, budget exhausted, shared baselines.
final class SeedAllocatorTests: XCTestCase {
    /// Job ids by name: `g1-0` (guided job of cell 1, seed 0), `b-0` (baseline, seed 0), `t-0` (guide training).
    func id(_ name: String) -> JobID { JobID(rawValue: name) }

    /// A cell of `max` seeds whose guided jobs are `g<name>-<seed>` against baselines `<baseline>-<seed>`.
    func cell(_ name: String, baseline: String = "b", max: Int, support: String? = nil) -> SeedAllocator.Cell {
        var treatment: [Int: JobID] = [:], reference: [Int: JobID] = [:], extra: [Int: [JobID]] = [:]
        for seed in 0..<max {
            treatment[seed] = id("g\(name)-\(seed)")
            reference[seed] = id("\(baseline)-\(seed)")
            if let support { extra[seed] = [id("\(support)-\(seed)")] }
        }
        return SeedAllocator.Cell(treatment: treatment, reference: reference, support: extra)
    }

    /// Finished metrics: guided values `deltas[seed]` above baselines at 0.5 (fractions: Δ in pp = 100 × delta).
    func finished(_ name: String, deltas: [Double], baseline: String = "b") -> [JobID: [String: Double]] {
        var out: [JobID: [String: Double]] = [:]
        for (seed, delta) in deltas.enumerated() {
            out[id("\(baseline)-\(seed)")] = ["test_accuracy": 0.5]
            out[id("g\(name)-\(seed)")] = ["test_accuracy": 0.5 + delta]
        }
        return out
    }

    func active(_ name: String, seeds: Int, baseline: String = "b") -> Set<JobID> {
        Set((0..<seeds).flatMap { [id("g\(name)-\($0)"), id("\(baseline)-\($0)")] })
    }

    let policy = SeedPolicy(initial: 3, max: 5, until: .decided)

    func testAClearEffectIsDecidedAndGetsNoMoreSeeds() {
        let result = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3),
                                            finished: finished("1", deltas: [0.10, 0.11, 0.12]), metric: nil,
                                            policy: policy, maxJobs: nil)
        XCTAssertEqual(result.verdicts, [.decided])
        XCTAssertEqual(result.added, [])
    }

    /// Δ = +10, −10, +11 pp: the interval includes 0, so seed 3 comes with its baseline.
    func testAnOpenIntervalAddsTheNextSeedWithItsBaseline() {
        let result = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3),
                                            finished: finished("1", deltas: [0.10, -0.10, 0.11]), metric: "test_accuracy",
                                            policy: policy, maxJobs: nil)
        XCTAssertEqual(result.verdicts, [.adding(seed: 3, jobs: [id("b-3"), id("g1-3")])])
        XCTAssertEqual(result.added, [id("b-3"), id("g1-3")])
    }

    func testACellWithUnfinishedSeedsWaits() {
        var done = finished("1", deltas: [0.10, -0.10, 0.11])
        done[id("g1-2")] = nil
        let result = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3), finished: done,
                                            metric: nil, policy: policy, maxJobs: nil)
        XCTAssertEqual(result.verdicts, [.running])
    }

    func testAnUndecidedCellAtMaxGetsNothing() {
        let result = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 5),
                                            finished: finished("1", deltas: [0.1, -0.1, 0.1, -0.1, 0.1]), metric: nil,
                                            policy: policy, maxJobs: nil)
        XCTAssertEqual(result.verdicts, [.atMax])
        XCTAssertEqual(result.added, [])
    }

    /// Two undecided cells on the same target share seed 3's baseline: it is added once, and counted once against
    /// `max_jobs` (9 active + b-3 + g1-3 + g2-3 = 12 fits; 11 stops the second cell, 10 both).
    func testBaselinesAreSharedAndTheBudgetCountsThemOnce() {
        let cells = [cell("1", max: 5), cell("2", max: 5)]
        let active = active("1", seeds: 3).union(active("2", seeds: 3))
        let done = finished("1", deltas: [0.1, -0.1, 0.1]).merging(finished("2", deltas: [0.2, -0.2, 0.1])) { a, _ in a }
        XCTAssertEqual(active.count, 9)
        let roomy = SeedAllocator.allocate(cells: cells, active: active, finished: done, metric: nil, policy: policy, maxJobs: 12)
        XCTAssertEqual(roomy.verdicts, [.adding(seed: 3, jobs: [id("b-3"), id("g1-3")]), .adding(seed: 3, jobs: [id("g2-3")])])
        XCTAssertEqual(roomy.added, [id("b-3"), id("g1-3"), id("g2-3")])

        let tight = SeedAllocator.allocate(cells: cells, active: active, finished: done, metric: nil, policy: policy, maxJobs: 11)
        XCTAssertEqual(tight.verdicts, [.adding(seed: 3, jobs: [id("b-3"), id("g1-3")]), .budgetExhausted])
        let spent = SeedAllocator.allocate(cells: cells, active: active, finished: done, metric: nil, policy: policy, maxJobs: 10)
        XCTAssertEqual(spent.verdicts, [.budgetExhausted, .budgetExhausted])
        XCTAssertEqual(spent.added, [])
    }

    /// A trained guide's training job of the new seed comes first, before the guided job that depends on it.
    func testSupportJobsComeFirst() {
        let result = SeedAllocator.allocate(cells: [cell("1", max: 5, support: "t")], active: active("1", seeds: 3),
                                            finished: finished("1", deltas: [0.1, -0.1, 0.1]), metric: nil,
                                            policy: policy, maxJobs: nil)
        XCTAssertEqual(result.added, [id("t-3"), id("b-3"), id("g1-3")])
    }

    /// `until: {half_width: 5}` in percentage points: Δ = 10, 12, 14 pp (half-width 4.97) is enough; Δ = 10, 20, 30
    /// (half-width 24.8) is not, although that interval excludes 0.
    func testHalfWidthRuleIsInPercentagePointsForAccuracies() {
        let narrow = SeedPolicy(initial: 3, max: 5, until: .halfWidth(5))
        let tight = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3),
                                           finished: finished("1", deltas: [0.10, 0.12, 0.14]), metric: nil,
                                           policy: narrow, maxJobs: nil)
        XCTAssertEqual(tight.verdicts, [.decided])
        let wide = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3),
                                          finished: finished("1", deltas: [0.10, 0.20, 0.30]), metric: nil,
                                          policy: narrow, maxJobs: nil)
        XCTAssertEqual(wide.verdicts, [.adding(seed: 3, jobs: [id("b-3"), id("g1-3")])])
    }

    /// A diverged guided run gives no pair: two pairs left, still undecided when they disagree; a lower-is-better
    /// metric flips the sign (a perplexity drop is an improvement).
    func testNoValueAndDirection() {
        var done: [JobID: [String: Double]] = [:]
        for seed in 0..<3 {
            done[id("b-\(seed)")] = ["test_perplexity": 10]
            done[id("g1-\(seed)")] = ["test_perplexity": 8 + 0.01 * Double(seed)]
        }
        let better = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3), finished: done,
                                            metric: nil, policy: policy, maxJobs: nil)
        XCTAssertEqual(better.verdicts, [.decided])
        done[id("g1-2")] = [:]  // diverged
        done[id("g1-1")] = ["test_perplexity": 12]
        let open = SeedAllocator.allocate(cells: [cell("1", max: 5)], active: active("1", seeds: 3), finished: done,
                                          metric: "test_perplexity", policy: policy, maxJobs: nil)
        XCTAssertEqual(open.verdicts, [.adding(seed: 3, jobs: [id("b-3"), id("g1-3")])])
    }
}
