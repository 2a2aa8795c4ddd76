public import Sweep

/// What the service needs to run a sweep with adaptive seeds: the manifest's policy and budget, and the jobs of the
/// initial plan. The service's plan is then the worst-case plan (`Plan(manifest.worstCase)`), of which only the
/// initial jobs, the jobs the journal says were added, and jobs with a record are in the sweep at start.
public struct AdaptiveSeeds: Sendable {
    public var policy: SeedPolicy
    public var maxJobs: Int?
    /// Ids of `Plan(manifest)` (the initial seeds).
    public var initialJobs: Set<JobID>

    public init(policy: SeedPolicy, maxJobs: Int?, initialJobs: Set<JobID>) {
        self.policy = policy
        self.maxJobs = maxJobs
        self.initialJobs = initialJobs
    }

    /// For `manifest` when it has a seed policy; nil otherwise.
    public init?(_ manifest: Manifest, initialPlan: Plan) {
        guard let policy = manifest.seedPolicy else { return nil }
        self.init(policy: policy, maxJobs: manifest.maxJobs, initialJobs: Set(initialPlan.jobs.map(\.id)))
    }
}
