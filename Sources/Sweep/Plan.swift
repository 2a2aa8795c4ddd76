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
public struct Plan: Sendable {
    /// Jobs in topological order: dependency-free jobs (baselines, guide training) first.
    public private(set) var jobs: [PlannedJob]
    /// Position of each job in `jobs`.
    public private(set) var index: [JobID: Int]

    /// Expands a manifest (pure; O(jobs)).
    public init(_ manifest: Manifest) {
        var roots: [PlannedJob] = []
        var guided: [PlannedJob] = []
        var index: [JobID: Int] = [:]  // into roots (while building), then into jobs
        var guidedSeen: Set<JobID> = []
        let guidedConditions = manifest.conditions.filter(\.usesGuide)
        let buildsBaselines = manifest.conditions.contains(.baseline)

        func root(_ spec: JobSpec) -> JobID {
            let id = spec.id
            if index[id] == nil {
                index[id] = roots.count
                roots.append(PlannedJob(id: id, spec: spec))
            }
            return id
        }

        let guidances = guidedConditions.map { condition in
            (condition, manifest.guidances.map { $0.normalized(for: condition) }.uniqued())
        }
        for task in manifest.tasks {
            for training in manifest.trainings {
                for kind in manifest.kinds {
                    for seed in manifest.seeds {
                        func baseline(_ model: ModelSpec) -> JobSpec {
                            JobSpec(task: task, target: model, seed: seed, training: training, kind: kind)
                        }
                        if buildsBaselines {
                            for target in manifest.targets { _ = root(baseline(target)) }
                        }
                        guard !guidedConditions.isEmpty else { continue }
                        for guide in manifest.guides {
                            let trainingJob = manifest.guideStates.contains(.trained) ? root(baseline(guide)) : nil
                            for target in manifest.targets {
                                for (condition, settings) in guidances {
                                    for state in manifest.guideStates {
                                        for guidance in settings {
                                            let spec = JobSpec(
                                                task: task, target: target, guide: guide, condition: condition,
                                                guideState: state, seed: seed, training: training, guidance: guidance,
                                                kind: kind)
                                            let id = spec.id
                                            guard guidedSeen.insert(id).inserted else { continue }
                                            let dependencies = state == .trained ? [trainingJob!] : []
                                            guided.append(PlannedJob(id: id, spec: spec, dependencies: dependencies))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (offset, job) in guided.enumerated() { index[job.id] = roots.count + offset }
        self.jobs = roots + guided
        self.index = index
    }

    /// A plan from explicit jobs (tests, tools). Jobs must already be in topological order.
    public init(jobs: [PlannedJob]) {
        self.jobs = jobs
        var index: [JobID: Int] = [:]
        for (offset, job) in jobs.enumerated() { index[job.id] = offset }
        self.index = index
    }

    public var count: Int { jobs.count }

    /// The job with this id, if it is in the plan.
    public subscript(id: JobID) -> PlannedJob? { index[id].map { jobs[$0] } }

    /// Dependencies by job id (only jobs that have some).
    public var dependencies: [JobID: [JobID]] {
        var result: [JobID: [JobID]] = [:]
        for job in jobs where !job.dependencies.isEmpty { result[job.id] = job.dependencies }
        return result
    }

    /// Number of jobs per condition (guide training jobs count as baseline).
    public var countsByCondition: [Condition: Int] {
        var counts: [Condition: Int] = [:]
        for job in jobs { counts[job.spec.condition, default: 0] += 1 }
        return counts
    }

    /// Number of guided jobs per guide state.
    public var countsByGuideState: [GuideState: Int] {
        var counts: [GuideState: Int] = [:]
        for job in jobs { if let state = job.spec.guideState { counts[state, default: 0] += 1 } }
        return counts
    }
}
