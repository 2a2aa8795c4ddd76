public import Sweep

/// The coordinator's adaptive-seed bookkeeping: the cells of the worst-case plan (every seed up to `max`), which
/// cells each job belongs to, and the finished jobs' metrics. `SeedAllocator` decides; the state machine adds what
/// it says (`CoordinatorState+Seeds`).
public struct SeedSchedule: Sendable {
    public let policy: SeedPolicy
    public let maxJobs: Int?
    /// Cells in plan order (the order of their first guided job).
    public let cells: [SeedAllocator.Cell]
    /// Cells each guided or baseline job belongs to.
    let cellsOfJob: [JobID: [Int]]
    /// Metrics of the finished jobs that belong to a cell (empty for failed or diverged ones).
    var finished: [JobID: [String: Double]] = [:]

    /// Cells of `plan`, which must be the worst-case plan (`Plan(manifest.worstCase)`); `records`: those already
    /// stored (a resumed sweep), whose metrics count as finished.
    public init(plan: Plan, policy: SeedPolicy, maxJobs: Int?, records: [JobRecord] = []) {
        self.policy = policy
        self.maxJobs = maxJobs
        var baselines: [JobSpec: JobID] = [:]
        for job in plan.jobs where job.spec.condition == .baseline { baselines[job.spec] = job.id }
        var cellIndex: [JobSpec: Int] = [:]
        var cells: [SeedAllocator.Cell] = []
        var cellsOfJob: [JobID: [Int]] = [:]
        for job in plan.jobs where job.spec.condition != .baseline {
            var key = job.spec
            key.seed = 0
            let at: Int
            if let existing = cellIndex[key] {
                at = existing
            } else {
                at = cells.count
                cellIndex[key] = at
                cells.append(SeedAllocator.Cell(treatment: [:], reference: [:]))
            }
            let seed = job.spec.seed
            cells[at].treatment[seed] = job.id
            cells[at].support[seed] = job.dependencies
            cellsOfJob[job.id, default: []].append(at)
            let reference = JobSpec(task: job.spec.task, target: job.spec.target, seed: seed, training: job.spec.training,
                                    kind: job.spec.kind)
            if let baseline = baselines[reference] {
                cells[at].reference[seed] = baseline
                cellsOfJob[baseline, default: []].append(at)
            }
        }
        self.cells = cells
        self.cellsOfJob = cellsOfJob
        for record in records { _ = finish(record) }
    }

    /// Notes a finished job; returns the cells it belongs to (empty when none).
    mutating func finish(_ record: JobRecord) -> [Int] {
        guard let cells = cellsOfJob[record.id] else { return [] }
        finished[record.id] = record.status == .ok ? record.metrics : [:]
        return cells
    }

    /// What the rule says for `cells` (indices) given the jobs in the sweep.
    func allocate(_ indices: [Int], active: Set<JobID>) -> SeedAllocator.Allocation {
        SeedAllocator.allocate(cells: indices.map { cells[$0] }, active: active, finished: finished, metric: policy.metric,
                               policy: policy, maxJobs: maxJobs)
    }
}
