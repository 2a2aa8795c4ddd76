/// A job in a plan: its id, spec and the jobs it waits for.
public struct PlannedJob: Hashable, Sendable {
    public var id: JobID
    public var spec: JobSpec
    /// Jobs that must finish first (the guide's training job for a trained-guide job).
    public var dependencies: [JobID]

    public init(id: JobID, spec: JobSpec, dependencies: [JobID] = []) {
        self.id = id
        self.spec = spec
        self.dependencies = dependencies
    }
}

/// The jobs of a manifest as a DAG, in topological order (every job after its dependencies).
///
/// Expansion, for every task × training setting × job kind × seed:
/// - one **baseline** per target (when `baseline` is a condition), shared by every guide row and not
///   multiplied by guidance axes;
/// - for every target × guide × guided condition × guide state × guidance setting, one guided job; a
///   `trained` guide depends on the guide's training job, which is the guide model's baseline on the
///   same task, seed and training (the same job, not a copy, when that model is also a target).
/// Identical specs (after normalization) collapse into one job.
///
/// Storage is compact (a grid of a million jobs is planned in memory): the distinct tasks, models and settings are
/// held once (`PlanParts`), each job is a `PlanCell` of indices into them plus its seed, and its id is hashed from
/// the parts' pre-encoded canonical JSON (`JobIDPrefix`). `jobs[i]` and `spec(at:)` build the full `JobSpec` on each access; the
/// coordinator does that when it sends a job, and reads `ids` and `dependency(of:)` otherwise.
public struct Plan: Sendable {
    /// The distinct parts the jobs share.
    let parts: PlanParts
    /// One per job, in topological order: dependency-free jobs (baselines, guide training) first.
    let cells: [PlanCell]
    /// Each job's id, in the same order as `jobs`.
    public let ids: [JobID]
    /// Position of each job in `jobs`.
    public let index: [JobID: Int]

    /// Expands a manifest (pure; O(jobs)). Parts shared by many jobs are stored and encoded once, and the head of the
    /// canonical JSON they share is hashed once (`JobIDPrefix`).
    public init(_ manifest: Manifest) {
        var parts = PlanParts()
        let guidedConditions = manifest.conditions.filter(\.usesGuide)
        let buildsBaselines = manifest.conditions.contains(.baseline)
        let tasks = manifest.tasks.map { parts.tasks.intern($0) }
        let targets = manifest.targets.map { parts.models.intern($0) }
        let guides = manifest.guides.map { parts.models.intern($0) }
        let trainings = manifest.trainings.map { parts.trainings.intern($0) }
        let kinds = manifest.kinds.map { parts.kinds.intern($0) }
        let baselineGuidance = parts.guidances.intern(GuidanceConfig())
        let guidances = guidedConditions.map { condition in
            (condition, manifest.guidances.map { parts.guidances.intern($0.normalized(for: condition)) }.uniqued())
        }

        // Roots (baselines, guide training) keep their final positions; guided jobs follow them all, so while
        // building, `index` holds a guided job at -(1 + its position among the guided) and is fixed up at the end.
        let settings: Int = tasks.count * trainings.count * kinds.count * manifest.seeds.count
        let guidanceCount: Int = guidances.reduce(0) { $0 + $1.1.count }
        let guidedPerSetting: Int = guides.count * targets.count * guidanceCount * manifest.guideStates.count
        let estimate: Int = settings * (targets.count + guides.count + guidedPerSetting)
        var roots: [PlanCell] = [], rootIDs: [JobID] = []
        var guided: [PlanCell] = [], guidedIDs: [JobID] = []
        var index: [JobID: Int] = [:]
        index.reserveCapacity(estimate)
        var prefixes: [PlanCell.Head: JobIDPrefix] = [:]  // a few: one per distinct head
        var tail: [UInt8] = []

        func id(of cell: PlanCell) -> JobID {
            let head = cell.head
            let prefix: JobIDPrefix
            if let known = prefixes[head] {
                prefix = known
            } else {
                prefix = parts.prefix(head)
                prefixes[head] = prefix
            }
            parts.tail(of: cell, into: &tail)
            return prefix.id(tail: tail)
        }
        // Records `position` for a new id and returns nil, or returns the earlier position of a known one (the first of
        // identical specs is the job). One hash of the id per new job: `updateValue` inserts and says whether the id
        // was there, in which case the earlier position is put back.
        func claim(_ id: JobID, at position: Int) -> Int? {
            guard let earlier = index.updateValue(position, forKey: id) else { return nil }
            index[id] = earlier
            return earlier
        }
        func root(_ cell: PlanCell) -> Int32 {
            let id = id(of: cell)
            if let earlier = claim(id, at: roots.count) { return Int32(earlier) }
            roots.append(cell)
            rootIDs.append(id)
            return Int32(roots.count - 1)
        }

        for task in tasks {
            for training in trainings {
                for kind in kinds {
                    for seed in manifest.seeds {
                        func baseline(_ model: Int32) -> Int32 {
                            root(PlanCell(seed: seed, task: task, target: model, training: training, guidance: baselineGuidance,
                                          kind: kind, guide: nil, dependency: nil, condition: .baseline, guideState: nil))
                        }
                        if buildsBaselines {
                            for target in targets { _ = baseline(target) }
                        }
                        guard !guidedConditions.isEmpty else { continue }
                        for guide in guides {
                            let trainingJob = manifest.guideStates.contains(.trained) ? baseline(guide) : nil
                            for target in targets {
                                for (condition, settings) in guidances {
                                    for state in manifest.guideStates {
                                        for guidance in settings {
                                            let cell = PlanCell(
                                                seed: seed, task: task, target: target, training: training, guidance: guidance,
                                                kind: kind, guide: guide, dependency: state == .trained ? trainingJob : nil,
                                                condition: condition, guideState: state)
                                            let id = id(of: cell)
                                            if claim(id, at: -1 - guided.count) != nil { continue }
                                            guided.append(cell)
                                            guidedIDs.append(id)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let rootCount = roots.count
        self.index = index.mapValues { $0 < 0 ? rootCount - 1 - $0 : $0 }  // keeps the hash table: no id is hashed again
        self.parts = parts
        self.cells = roots + guided
        self.ids = rootIDs + guidedIDs
    }

    public var count: Int { cells.count }

    /// The id of the job at `position`.
    public func id(at position: Int) -> JobID { ids[position] }

    /// The full spec of the job at `position` (built from the shared parts on each call).
    public func spec(at position: Int) -> JobSpec { parts.spec(of: cells[position]) }

    /// The training settings of the job at `position` (shared, not copied per job).
    public func training(at position: Int) -> TrainingConfig { parts.trainings[cells[position].training] }

    /// The position of the job that the job at `position` waits for (its guide's training job), if any: every job
    /// of a plan has at most one dependency, and it comes earlier in the plan.
    public func dependency(of position: Int) -> Int? { cells[position].dependency.map(Int.init) }

    /// Whether any job waits for another (a trained guide).
    public var hasDependencies: Bool { cells.contains { $0.dependency != nil } }

    /// The job at `position`, its spec built from the shared parts.
    public func job(at position: Int) -> PlannedJob {
        PlannedJob(id: ids[position], spec: spec(at: position), dependencies: dependency(of: position).map { [ids[$0]] } ?? [])
    }

    /// The job with this id, if it is in the plan.
    public subscript(id: JobID) -> PlannedJob? { index[id].map(job(at:)) }

    /// Every job in topological order, each built on access (`job(at:)`).
    public var jobs: Jobs { Jobs(plan: self) }

    /// The jobs of a plan as a collection; elements are built on access, nothing is stored per element.
    public struct Jobs: RandomAccessCollection, Sendable {
        let plan: Plan
        public var startIndex: Int { 0 }
        public var endIndex: Int { plan.count }
        public subscript(position: Int) -> PlannedJob { plan.job(at: position) }
    }

    /// Dependencies by job id (only jobs that have some).
    public var dependencies: [JobID: [JobID]] {
        var result: [JobID: [JobID]] = [:]
        for (position, cell) in cells.enumerated() {
            if let dependency = cell.dependency { result[ids[position]] = [ids[Int(dependency)]] }
        }
        return result
    }

    /// Number of jobs per condition (guide training jobs count as baseline).
    public var countsByCondition: [Condition: Int] {
        var counts: [Condition: Int] = [:]
        for cell in cells { counts[cell.condition, default: 0] += 1 }
        return counts
    }

    /// Number of guided jobs per guide state.
    public var countsByGuideState: [GuideState: Int] {
        var counts: [GuideState: Int] = [:]
        for cell in cells { if let state = cell.guideState { counts[state, default: 0] += 1 } }
        return counts
    }
}
