import Report
public import Sweep

/// The adaptive-seed rule (manifest `seeds: {initial, max, until}`) as a pure function: given each cell's jobs per
/// seed, which jobs are in the sweep, and the finished jobs' metrics, which cells are decided and which jobs to add.
///
/// A cell is one guided arm of one (task, training, guidance, kind, guide, target) — a cell of a guidability matrix
/// — compared with the target's baseline, paired by seed. When every seed it has is finished (both sides), the
/// paired differences of the decision metric give a 95% Student t interval; the cell is decided when that interval
/// excludes 0 (`until: decided`) or is at most the asked half-width (`until: {half_width}`, in the units matrices
/// show). An undecided cell gets its next seed — the guided job, the baseline of that seed if it is not in the sweep
/// yet (baselines are shared: a baseline added for one cell is not added again for another), and the guide's
/// training job for that seed when the guide is trained — unless it has `max` seeds or the jobs would take the
/// sweep past `max_jobs`. Cells are considered in order, so the budget goes to earlier cells first.
public enum SeedAllocator {
    /// One cell's jobs by seed, for every seed it may get (`0..<max`).
    public struct Cell: Hashable, Sendable {
        /// The guided job of each seed.
        public var treatment: [Int: JobID]
        /// The target's baseline of each seed (nil entries: no baseline in the sweep, the cell cannot be decided).
        public var reference: [Int: JobID]
        /// Jobs the treatment of each seed depends on (the trained guide's training job), added with it.
        public var support: [Int: [JobID]]

        public init(treatment: [Int: JobID], reference: [Int: JobID], support: [Int: [JobID]] = [:]) {
            self.treatment = treatment
            self.reference = reference
            self.support = support
        }

        /// Seeds whose treatment job is in the sweep, ascending.
        func seeds(active: Set<JobID>) -> [Int] { treatment.filter { active.contains($0.value) }.keys.sorted() }
    }

    /// What the rule says about a cell.
    public enum Verdict: Hashable, Sendable {
        /// Some of its seeds have not finished yet.
        case running
        /// The stopping rule holds.
        case decided
        /// Undecided with all `max` seeds.
        case atMax
        /// Undecided, and its next seed's jobs would exceed `max_jobs`.
        case budgetExhausted
        /// Undecided without a baseline to compare with.
        case noReference
        /// Undecided: `seed` was added (with `jobs`, dependencies first).
        case adding(seed: Int, jobs: [JobID])
    }

    public struct Allocation: Hashable, Sendable {
        /// One verdict per cell, in the cells' order.
        public var verdicts: [Verdict]
        /// Every job to add, dependencies before dependents, each once.
        public var added: [JobID]
    }

    /// Applies the rule to `cells`.
    /// - Parameters:
    ///   - active: jobs in the sweep (planned or already added).
    ///   - finished: metrics of every finished job (empty for a failed or diverged one: no value).
    ///   - metric: the decision metric (`test_accuracy`; a fraction metric's half-width is in percentage points); nil:
    ///     each cell's default matrix metric among its finished jobs' metrics (`MetricDirection.primaryMetric`).
    ///   - maxJobs: cap on `active.count` + added jobs (nil: none).
    public static func allocate(cells: [Cell], active: Set<JobID>, finished: [JobID: [String: Double]], metric: String?,
                                policy: SeedPolicy, maxJobs: Int?) -> Allocation {
        var inSweep = active
        var added: [JobID] = []
        var verdicts: [Verdict] = []
        for cell in cells {
            let seeds = cell.seeds(active: inSweep)
            let jobs = seeds.flatMap { [cell.treatment[$0], cell.reference[$0]].compactMap { $0 } }
            guard jobs.allSatisfy({ finished[$0] != nil }) else { verdicts.append(.running); continue }
            guard seeds.allSatisfy({ cell.reference[$0] != nil }) else { verdicts.append(.noReference); continue }
            let names = Set(jobs.flatMap { finished[$0]!.keys })
            let metric = metric ?? MetricDirection.primaryMetric(among: names) ?? ""
            let direction = MetricDirection(metric: metric)
            let scale = MetricDirection.isFraction(metric) ? 100.0 : 1
            var deltas: [Double] = []
            for seed in seeds {
                guard let t = finished[cell.treatment[seed]!]?[metric], let r = finished[cell.reference[seed]!]?[metric],
                      t.isFinite, r.isFinite else { continue }
                deltas.append(direction.sign * (t - r) * scale)
            }
            if let summary = SampleSummary(deltas), let ci = summary.interval, let half = summary.halfWidth {
                let decided: Bool
                switch policy.until {
                case .decided: decided = ci.lowerBound > 0 || ci.upperBound < 0
                case .halfWidth(let width): decided = half <= width
                }
                if decided { verdicts.append(.decided); continue }
            }
            guard let next = policy.allSeeds.first(where: { !seeds.contains($0) }), let guided = cell.treatment[next] else {
                verdicts.append(.atMax)
                continue
            }
            var needed: [JobID] = []
            for job in (cell.support[next] ?? []) + [cell.reference[next], guided].compactMap({ $0 })
            where !inSweep.contains(job) && !needed.contains(job) {
                needed.append(job)
            }
            if let maxJobs, inSweep.count + needed.count > maxJobs {
                verdicts.append(.budgetExhausted)
                continue
            }
            inSweep.formUnion(needed)
            added += needed
            verdicts.append(.adding(seed: next, jobs: needed))
        }
        return Allocation(verdicts: verdicts, added: added)
    }
}
