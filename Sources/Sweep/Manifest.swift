/// A validated sweep description: every block's grid axes already expanded into concrete values.
/// `Plan(manifest)` crosses the blocks into jobs. Load one with `Manifest.decode(yaml:file:validators:)`;
/// the YAML shape is documented in docs/MANIFEST.md.
public struct Manifest: Hashable, Sendable {
    /// The sweep's name (defaults to the file name without extension).
    public var name: String
    public var seeds: [Int]
    /// Task variants (one per combination of task option axes), default-valued options left out (`TaskSpec.normalized`).
    public var tasks: [TaskSpec]
    /// Target model variants, labelled with the manifest's model names; default-valued options left out.
    public var targets: [ModelSpec]
    /// Guide model variants.
    public var guides: [ModelSpec]
    public var conditions: [Condition]
    /// Guide states crossed with every condition that uses a guide.
    public var guideStates: [GuideState]
    /// Training settings, one per combination of `training` axes (normalized, no duplicates).
    public var trainings: [TrainingConfig]
    /// Guidance settings, one per combination of `guidance` axes.
    public var guidances: [GuidanceConfig]
    /// `[.train]`, or the test-job variants of the `test` block.
    public var kinds: [JobKind]
    /// Adaptive seeds (`seeds: {initial, max, until}`); nil: `seeds` is the fixed list. With a policy, `seeds` is
    /// its initial seeds.
    public var seedPolicy: SeedPolicy?
    /// Sweep-wide cap on jobs, planned and added (`max_jobs`); nil: no cap beyond `seedPolicy.max`.
    public var maxJobs: Int?
    /// `trains_if: {test_accuracy: 0.2}`: a run "trains" when each named metric is at least (accuracy-like) or at
    /// most (loss-like) the threshold; reports show "k of n seeds train" per cell. Empty: not shown.
    public var trainsIf: [String: Double] = [:]

    public init(
        name: String, seeds: [Int] = [0], tasks: [TaskSpec], targets: [ModelSpec], guides: [ModelSpec] = [],
        conditions: [Condition] = [.baseline], guideStates: [GuideState] = [.untrained, .trained],
        trainings: [TrainingConfig] = [TrainingConfig()], guidances: [GuidanceConfig] = [GuidanceConfig()],
        kinds: [JobKind] = [.train]
    ) {
        self.name = name
        self.seeds = seeds
        // Normalised here, once, so that every job id, record and comparison downstream sees one form per setting.
        self.tasks = tasks.map(\.normalized).uniqued()
        self.targets = targets.map(\.normalized)
        self.guides = guides.map(\.normalized)
        self.conditions = conditions
        self.guideStates = guideStates
        self.trainings = trainings
        self.guidances = guidances
        self.kinds = kinds
    }

    /// The manifest as if every cell ran all `seedPolicy.max` seeds: the worst-case plan, and the plan added seeds'
    /// jobs are taken from. Itself when seeds are fixed.
    public var worstCase: Manifest {
        guard let policy = seedPolicy else { return self }
        var manifest = self
        manifest.seeds = policy.allSeeds
        return manifest
    }
}

/// Checks a (task, model) combination against knowledge Sweep does not have (the model and task
/// registries: known families, sizes, whether a family can serve a task). Injected by the executable.
public protocol SpecValidator {
    /// Problems with using `model` in `role` on `task`; empty when fine. Each message should say what
    /// was found and what is allowed.
    func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String]

    /// Names of the metrics a job on `task` records (`test_accuracy`, `val_loss`, ...), to check `trains_if`;
    /// nil when this validator does not know.
    func metrics(task: TaskSpec) -> Set<String>?

    /// The same check knowing the manifest's conditions and guide states, for models that cannot serve every
    /// condition (a parameterless guide cannot be trained or distilled from). Defaults to the form above.
    func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                  guideStates: [GuideState]) -> [String]

    /// Problems with guiding `target` by `guide` on `task` with `guidance` (the taps a readout needs); empty when fine.
    /// Called for guidance settings that need it (a readout other than flat). Defaults to none.
    func validate(task: TaskSpec, target: ModelSpec, guide: ModelSpec, guidance: GuidanceConfig) -> [String]
}

extension SpecValidator {
    public func metrics(task: TaskSpec) -> Set<String>? { nil }

    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                         guideStates: [GuideState]) -> [String] {
        validate(task: task, model: model, role: role)
    }

    public func validate(task: TaskSpec, target: ModelSpec, guide: ModelSpec, guidance: GuidanceConfig) -> [String] { [] }
}
