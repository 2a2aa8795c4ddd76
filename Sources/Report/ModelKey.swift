import Config
import Sweep

/// A model's identity for pairing: family and options, without the presentation-only label (as in job ids).
struct ModelKey: Hashable, Sendable {
    var family: String
    var options: [String: ConfigValue]

    init(_ spec: ModelSpec) {
        family = spec.family
        options = spec.options
    }
}

/// Everything that makes two runs the same cell except the seed.
struct RunKey: Hashable, Sendable {
    var task: TaskSpec
    var target: ModelKey
    var guide: ModelKey?
    var arm: Arm
    var setting: Setting

    init(task: TaskSpec, target: ModelKey, guide: ModelKey?, arm: Arm, setting: Setting) {
        self.task = task
        self.target = target
        self.guide = arm == .baseline ? nil : guide
        self.arm = arm
        self.setting = arm == .baseline ? setting.forBaseline : setting
    }

    init(_ spec: JobSpec) {
        self.init(task: spec.task, target: ModelKey(spec.target), guide: spec.guide.map(ModelKey.init),
                  arm: Arm(spec.condition, spec.guideState),
                  setting: Setting(training: spec.training, guidance: spec.guidance, kind: spec.kind))
    }
}

/// The training, guidance and job-kind settings shared by the runs of one matrix.
struct Setting: Hashable, Sendable {
    var training: TrainingConfig
    var guidance: GuidanceConfig
    var kind: JobKind

    /// The same training and kind with the guidance a baseline carries (all defaults).
    var forBaseline: Setting { Setting(training: training, guidance: GuidanceConfig(), kind: kind) }

    /// The same setting as `condition` reads it (knobs it ignores reset), for pairing across conditions.
    func normalized(for condition: Condition) -> Setting {
        Setting(training: training, guidance: guidance.normalized(for: condition), kind: kind)
    }
}
