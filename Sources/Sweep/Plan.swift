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

    /// Expands a manifest (pure; O(jobs)). Parts shared by many jobs are encoded once.
    public init(_ manifest: Manifest) {
        var roots: [PlannedJob] = []
        var guided: [PlannedJob] = []
        var index: [JobID: Int] = [:]  // into roots (while building), then into jobs
        var guidedSeen: Set<JobID> = []
        let guidedConditions = manifest.conditions.filter(\.usesGuide)
        let buildsBaselines = manifest.conditions.contains(.baseline)

        func encoded<T: CanonicalEncodable>(_ values: [T]) -> [(T, [UInt8])] { values.map { ($0, CanonicalJSON.bytes($0)) } }
        let tasks = encoded(manifest.tasks), targets = encoded(manifest.targets), guides = encoded(manifest.guides)
        let trainings = encoded(manifest.trainings), kinds = encoded(manifest.kinds)
        let baselineGuidance = CanonicalJSON.bytes(GuidanceConfig())
        let guidances = guidedConditions.map { condition in
            (condition, encoded(manifest.guidances.map { $0.normalized(for: condition) }.uniqued()))
        }

        func root(_ spec: JobSpec, _ parts: JobSpec.CanonicalParts) -> JobID {
            let id = JobID(canonicalJSON: JobSpec.canonicalBytes(parts))
            if index[id] == nil {
                index[id] = roots.count
                roots.append(PlannedJob(id: id, spec: spec))
            }
            return id
        }

        for (task, taskJSON) in tasks {
            for (training, trainingJSON) in trainings {
                for (kind, kindJSON) in kinds {
                    for seed in manifest.seeds {
                        func baseline(_ model: ModelSpec, _ modelJSON: [UInt8]) -> JobID {
                            root(JobSpec(task: task, target: model, seed: seed, training: training, kind: kind),
                                 JobSpec.CanonicalParts(
                                    condition: .baseline, guidance: baselineGuidance, guide: nil, guideState: nil,
                                    kind: kindJSON, seed: seed, target: modelJSON, task: taskJSON, training: trainingJSON))
                        }
                        if buildsBaselines {
                            for (target, targetJSON) in targets { _ = baseline(target, targetJSON) }
                        }
                        guard !guidedConditions.isEmpty else { continue }
                        for (guide, guideJSON) in guides {
                            let trainingJob = manifest.guideStates.contains(.trained) ? baseline(guide, guideJSON) : nil
                            for (target, targetJSON) in targets {
                                for (condition, settings) in guidances {
                                    for state in manifest.guideStates {
                                        for (guidance, guidanceJSON) in settings {
                                            let id = JobID(canonicalJSON: JobSpec.canonicalBytes(JobSpec.CanonicalParts(
                                                condition: condition, guidance: guidanceJSON, guide: guideJSON,
                                                guideState: state, kind: kindJSON, seed: seed, target: targetJSON,
                                                task: taskJSON, training: trainingJSON)))
                                            guard guidedSeen.insert(id).inserted else { continue }
                                            let spec = JobSpec(
                                                task: task, target: target, guide: guide, condition: condition,
                                                guideState: state, seed: seed, training: training, guidance: guidance,
                                                kind: kind)
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
        index.reserveCapacity(roots.count + guided.count)
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
