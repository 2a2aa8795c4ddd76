public import ArgumentParser
public import Sweep

/// The training and guidance settings as the command line sees them: `training.KEY` and `guidance.KEY` (nested keys
/// dotted: `training.optimizer.lr`), every one from the schemas (`TrainingConfig.schema`, `GuidanceConfig.schema`),
/// so a knob added there is settable with `--set`, listed by `guidance settings` and documented in `--help` without
/// an edit here.
public enum Settings {
    /// One `KEY=VALUE` from the command line; `origin` is how the user wrote it (`--set training.steps=0`, `--steps 0`).
    public struct Assignment: Sendable {
        public var key: String
        public var value: String
        public var origin: String

        public init(key: String, value: String, origin: String) {
            self.key = key
            self.value = value
            self.origin = origin
        }
    }

    /// The defaults with `assignments` applied in the schemas' reading order, as a manifest reads its keys (so an
    /// optimizer's name, which sets its weight-decay default, comes before an explicit weight_decay whatever the
    /// order typed). A key given twice, a block given beside one of its own keys (`training.optimizer=sgd` and
    /// `training.optimizer.lr=0.1`: one would silently undo the other), an unknown key or a value the manifest
    /// would refuse is an error naming how it was written.
    public static func resolve(_ assignments: [Assignment]) throws -> (TrainingConfig, GuidanceConfig) {
        var training = TrainingConfig()
        var guidance = GuidanceConfig()
        var seen: [String: String] = [:]
        for assignment in assignments {
            if let earlier = seen[assignment.key] {
                throw SettingError(origin: assignment.origin, message: "\(assignment.key) is already set by \(earlier)",
                                   hint: "give each setting once")
            }
            if let (key, earlier) = seen.first(where: { $0.key.hasPrefix(assignment.key + ".") || assignment.key.hasPrefix($0.key + ".") }) {
                throw SettingError(origin: assignment.origin, message: "\(assignment.key) and \(key) (\(earlier)) overlap: one would undo the other",
                                   hint: "set the block's keys one by one, e.g. \(assignment.key.split(separator: ".").prefix(2).joined(separator: ".")).name=…")
            }
            seen[assignment.key] = assignment.origin
        }
        let order = Dictionary(SpecSettings.entries.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = assignments.enumerated().sorted { a, b in
            (order[a.element.key] ?? Int.max, a.offset) < (order[b.element.key] ?? Int.max, b.offset)
        }.map(\.element)
        for assignment in ordered {
            let parts = assignment.key.split(separator: ".", maxSplits: 1).map(String.init)
            switch (parts.first, parts.count) {
            case ("training", 2): try TrainingConfig.schema.assign(parts[1], text: assignment.value, to: &training, origin: assignment.origin)
            case ("guidance", 2): try GuidanceConfig.schema.assign(parts[1], text: assignment.value, to: &guidance, origin: assignment.origin)
            default:
                throw SettingError(origin: assignment.origin, message: "unknown setting \"\(assignment.key)\"",
                                   hint: "keys start with training. or guidance. (`guidance settings` lists them)")
            }
        }
        return (training, guidance)
    }

    /// `--help` text for a shorthand flag: the knob's help, what it takes and its default (`[training.steps: integer ≥ 1,
    /// default 1000]`).
    public static func help(_ key: String) -> ArgumentHelp {
        guard let entry = SpecSettings.entries.first(where: { $0.key == key }) else {
            preconditionFailure("no setting \(key) in the schemas")
        }
        return ArgumentHelp("\(entry.help) [\(entry.key): \(entry.kind); default \(entry.defaultText)]")
    }
}
