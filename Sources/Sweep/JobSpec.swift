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
        w.raw(Self.canonicalBytes(CanonicalParts(self)))
    }

    /// The canonical JSON of each part of a spec, so that a planner can hash many specs that share
    /// parts without re-encoding them. `JobSpec.writeCanonical` goes through the same assembly.
    public struct CanonicalParts: Sendable {
        public var condition: Condition
        public var guidance: [UInt8]
        public var guide: [UInt8]?
        public var guideState: GuideState?
        public var kind: [UInt8]
        public var seed: Int
        public var target: [UInt8]
        public var task: [UInt8]
        public var training: [UInt8]

        public init(
            condition: Condition, guidance: [UInt8], guide: [UInt8]?, guideState: GuideState?, kind: [UInt8], seed: Int,
            target: [UInt8], task: [UInt8], training: [UInt8]
        ) {
            self.condition = condition
            self.guidance = guidance
            self.guide = guide
            self.guideState = guideState
            self.kind = kind
            self.seed = seed
            self.target = target
            self.task = task
            self.training = training
        }

        public init(_ spec: JobSpec) {
            condition = spec.condition
            guidance = CanonicalJSON.bytes(spec.guidance)
            guide = spec.guide.map { CanonicalJSON.bytes($0) }
            guideState = spec.guideState
            kind = CanonicalJSON.bytes(spec.kind)
            seed = spec.seed
            target = CanonicalJSON.bytes(spec.target)
            task = CanonicalJSON.bytes(spec.task)
            training = CanonicalJSON.bytes(spec.training)
        }
    }

    /// Canonical JSON of a spec from its parts (keys in sorted order).
    public static func canonicalBytes(_ parts: CanonicalParts) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(parts.guidance.count + (parts.guide?.count ?? 0) + parts.kind.count + parts.target.count
                            + parts.task.count + parts.training.count + 160)
        appendCanonicalBytes(parts, to: &out)
        return out
    }

    /// Appends the canonical JSON of a spec from its parts to `out`: `canonicalBytes` into a buffer the caller
    /// reuses (a planner hashing a million specs allocates it once).
    public static func appendCanonicalBytes(_ parts: CanonicalParts, to out: inout [UInt8]) {
        appendCanonicalHead(condition: parts.condition, guidance: parts.guidance, guide: parts.guide,
                            guideState: parts.guideState, kind: parts.kind, to: &out)
        appendCanonicalTail(seed: parts.seed, target: parts.target, task: parts.task, training: parts.training, to: &out)
    }

    /// The canonical JSON up to the seed's value: `{"condition":…,"guidance":…,"guide":…,"guide_state":…,"kind":…,"seed":`
    /// (keys sort before `seed`). Jobs of a grid that differ only in seed, target, task or training share it, so a
    /// planner can hash it once for all of them (`JobIDPrefix`).
    static func appendCanonicalHead(condition: Condition, guidance: [UInt8], guide: [UInt8]?, guideState: GuideState?,
                                    kind: [UInt8], to out: inout [UInt8]) {
        out.append(0x7b)
        appendKey("condition", to: &out); out.append(0x22); out.append(contentsOf: condition.rawValue.utf8); out.append(0x22)
        out.append(0x2c); appendKey("guidance", to: &out); out.append(contentsOf: guidance)
        if let guide { out.append(0x2c); appendKey("guide", to: &out); out.append(contentsOf: guide) }
        if let guideState {
            out.append(0x2c); appendKey("guide_state", to: &out)
            out.append(0x22); out.append(contentsOf: guideState.rawValue.utf8); out.append(0x22)
        }
        out.append(0x2c); appendKey("kind", to: &out); out.append(contentsOf: kind)
        out.append(0x2c); appendKey("seed", to: &out)
    }

    /// The rest of the canonical JSON after `appendCanonicalHead`: the seed's value, `target`, `task`, `training`, `}`.
    static func appendCanonicalTail(seed: Int, target: [UInt8], task: [UInt8], training: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: String(seed).utf8)
        out.append(0x2c); appendKey("target", to: &out); out.append(contentsOf: target)
        out.append(0x2c); appendKey("task", to: &out); out.append(contentsOf: task)
        out.append(0x2c); appendKey("training", to: &out); out.append(contentsOf: training)
        out.append(0x7d)
    }

    /// `"name":`
    private static func appendKey(_ name: StaticString, to out: inout [UInt8]) {
        out.append(0x22)
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(0x22)
        out.append(0x3a)
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
