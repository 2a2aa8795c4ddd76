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
}

/// Checks a (task, model) combination against knowledge Sweep does not have (the model and task
/// registries: known families, sizes, whether a family can serve a task). Injected by the executable.
public protocol SpecValidator {
    /// Problems with using `model` in `role` on `task`; empty when fine. Each message should say what
    /// was found and what is allowed.
    func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String]

    /// The same check knowing the manifest's conditions and guide states, for models that cannot serve every
    /// condition (a parameterless guide cannot be trained or distilled from). Defaults to the form above.
    func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                  guideStates: [GuideState]) -> [String]
}

extension SpecValidator {
    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                         guideStates: [GuideState]) -> [String] {
        validate(task: task, model: model, role: role)
    }
}
