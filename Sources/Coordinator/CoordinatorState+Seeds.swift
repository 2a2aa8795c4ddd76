import Store
import Sweep

/// Adaptive seeds in the state machine: after each record of a cell's job, ask `SeedAllocator` and bring the jobs
/// it adds into the sweep (journal `added`, then queued or waiting like planned jobs).
extension CoordinatorState {
    /// Notes a record (worker's or the coordinator's own failure) and adds seeds to the cells it finishes.
    mutating func seedsAfter(_ record: JobRecord, now: Double, into actions: inout [CoordinatorAction]) {
        guard seedSchedule != nil else { return }
        let cells = seedSchedule!.finish(record)
        guard !cells.isEmpty else { return }
        allocateSeeds(cells: cells, now: now, into: &actions)
    }

    /// Runs the allocator over `cells` (nil: every cell, at start) and activates what it adds.
    mutating func allocateSeeds(cells: [Int]?, now: Double, into actions: inout [CoordinatorAction]) {
        guard let schedule = seedSchedule else { return }
        let indices = cells ?? Array(schedule.cells.indices)
        let allocation = seedSchedule!.allocate(indices, active: activeJobs)
        for (cell, verdict) in zip(indices, allocation.verdicts) {
            guard case .adding(let seed, let jobs) = verdict else { continue }
            for id in jobs {
                guard let index = plan.index[id] else { continue }
                activate(index, reason: "adaptive seeds: seed \(seed) of cell \(cell)", now: now, into: &actions)
            }
        }
    }

    /// Brings a dormant job into the sweep: journal `added`, then queued when its dependencies are done (failed
    /// when one failed), waiting otherwise. Dormant dependencies are activated first.
    mutating func activate(_ index: Int, reason: String, now: Double, into actions: inout [CoordinatorAction]) {
        guard states[index] == .dormant else { return }
        let id = plan.ids[index]
        states[index] = .waiting(0)
        activeCount += 1
        activeJobs.insert(id)
        actions.append(.journal(JournalEvent(.added, job: id, reason: reason)))
        var remaining = 0
        var broken: (JobID, String)?
        if let at = plan.dependency(of: index) {
            activate(at, reason: reason, now: now, into: &actions)
            if let outcome = outcomes[at] {
                if !outcome.canFeedDependents { broken = (plan.ids[at], Self.unusable(outcome)) }
            } else {
                remaining += 1
            }
        }
        if let (dependency, why) = broken {
            failPermanently(index, reason: "dependency failed: guide training job \(dependency) \(why)", worker: nil,
                            now: now, into: &actions)
        } else if remaining == 0 {
            enqueue(index, into: &actions)
        } else {
            states[index] = .waiting(remaining)
        }
    }

    /// The cells' verdicts now (for status and tests): decided, running, at max...
    public var seedVerdicts: [SeedAllocator.Verdict]? {
        guard let schedule = seedSchedule else { return nil }
        return SeedAllocator.allocate(cells: schedule.cells, active: activeJobs, finished: schedule.finished,
                                      metric: schedule.policy.metric, policy: schedule.policy, maxJobs: schedule.maxJobs).verdicts
    }
}
