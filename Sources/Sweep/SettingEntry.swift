/// One knob of a listing: `training.optimizer.lr  number > 0  default 0.001  Learning rate.`
public struct SettingEntry: Hashable, Sendable {
    public var key: String
    /// What values it takes (`integer ≥ 1`, `adam | adamw | sgd`, `settings (or a name)`).
    public var kind: String
    public var defaultText: String
    public var help: String
    /// Whether it holds settings of its own (`training.optimizer`), listed after it with their dotted keys.
    public var isGroup: Bool
    /// The value that leaves it out of job ids (`Knob.Written`); nil when every spec writes it.
    public var identityText: String?
}
