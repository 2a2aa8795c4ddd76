/// Everything needed to train one job, fully resolved (no defaults left implicit). Its canonical JSON
/// (`CanonicalJSON`) hashes to the job's `id`.
public struct JobSpec: Codable, Hashable, Sendable {
    public var task: TaskSpec
    public var target: ModelSpec
    /// The guide network; nil exactly when `condition` is `.baseline`.
    public var guide: ModelSpec?
    public var condition: Condition
    /// Whether the guide is trained first; nil exactly when `guide` is nil.
    public var guideState: GuideState?
    /// Seeds initialization, data order and noise; the task's data split has its own seed in its options.
    public var seed: Int
    public var training: TrainingConfig
    /// Guidance settings, normalized for `condition` (all defaults for a baseline).
    public var guidance: GuidanceConfig
    public var kind: JobKind

    public init(
        task: TaskSpec, target: ModelSpec, guide: ModelSpec? = nil, condition: Condition = .baseline,
        guideState: GuideState? = nil, seed: Int = 0, training: TrainingConfig = TrainingConfig(),
        guidance: GuidanceConfig = GuidanceConfig(), kind: JobKind = .train
    ) {
        self.task = task
        self.target = target
        self.guide = guide
        self.condition = condition
        self.guideState = guideState
        self.seed = seed
        self.training = training
        self.guidance = guidance
        self.kind = kind
    }

    /// The content-hashed id (computed each time: cache it if you need it often).
    public var id: JobID { JobID(spec: self) }

    /// The spec of the job that trains this job's guide (the guide's own baseline on the same task,
    /// seed, training settings and kind), or nil when the guide is untrained or there is none.
    public var guideTrainingSpec: JobSpec? {
        guard let guide, guideState == .trained else { return nil }
        return JobSpec(task: task, target: guide, seed: seed, training: training, kind: kind)
    }

    enum CodingKeys: String, CodingKey {
        case task, target, guide, condition, guideState = "guide_state", seed, training, guidance, kind
    }
}

extension JobSpec: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("condition", condition.rawValue)
        w.field("guidance", guidance)
        w.field("guide", ifPresent: guide)
        if let guideState { w.field("guide_state", guideState.rawValue) }
        w.field("kind", kind)
        w.field("seed", seed)
        w.field("target", target)
        w.field("task", task)
        w.field("training", training)
        w.endObject()
    }
}

extension JobSpec {
    /// One line for listings: `guided/trained mnist1d deep-fcn <- cnn seed=0`.
    public var summary: String {
        var text = condition.rawValue
        if let guideState { text += "/" + guideState.rawValue }
        text += " " + task.name + " " + target.displayName
        if let guide { text += " <- " + guide.displayName }
        text += " seed=\(seed)"
        if case .test = kind { text += " [test]" }
        return text
    }
}
