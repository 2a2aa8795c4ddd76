public import Config
import ModelSchema
import Tasks

/// The defaults every model family and task uses today, as one flat table (`model fcn.depth` → 8,
/// `task mnist1d.samples` → 5000). A results directory keeps the table it started with (`defaults.json`), so that a
/// resumed sweep notices when a default it relied on has changed since (`changes(from:in:)`): jobs that omit the field
/// would compute something else than their stored records did.
public enum SpecDefaults {
    /// The current value defaults (derived ones such as `4×width` follow the fields they derive from), and every
    /// training and guidance knob's default from their schemas (`training optimizer.lr` → "0.001"): a knob written
    /// only when it differs from its default (`Knob.Written.unlessDefault`) keeps the ids of jobs that omit it, so a
    /// change of its default would otherwise go unnoticed.
    public static var current: [String: ConfigValue] {
        var table = table(model: \.value)
        for (key, entry) in schemaEntries { table[key] = .string(entry.defaultText) }
        return table
    }

    /// The identity defaults (`ModelField.identityDefault`; a task field's default), which ids are normalised
    /// against: pinned by a golden test, because changing one would change stored jobs' ids.
    /// Also the values that leave a training or guidance knob out of ids (`Knob.Written`: `guidance readout` → "flat").
    public static var identity: [String: ConfigValue] {
        var table = table(model: \.identityDefault)
        for (key, entry) in schemaEntries { if let identity = entry.identityText { table[key] = .string(identity) } }
        return table
    }

    /// Every training and guidance knob with a value, keyed `training optimizer.lr`, `guidance readout` (the block,
    /// a space, the knob's path: the form `defaults.json` has used since these were added).
    private static var schemaEntries: [(String, SettingEntry)] {
        SpecSettings.entries.filter { !$0.isGroup }.map { entry in
            let parts = entry.key.split(separator: ".", maxSplits: 1)
            return ("\(parts[0]) \(parts[1])", entry)
        }
    }

    /// Every family's fields through `model`, and every task field's default, keyed `model F.field` / `task T.field`.
    private static func table(model value: (ModelField) -> ConfigValue?) -> [String: ConfigValue] {
        var table: [String: ConfigValue] = [:]
        for family in ModelFamily.allCases {
            for field in family.fields { if let v = value(field) { table["model \(family.rawValue).\(field.name)"] = v } }
        }
        for task in TaskRegistry.all {
            for field in task.fields { if let v = field.defaultValue { table["task \(task.name).\(field.name)"] = v } }
        }
        return table
    }

    /// Defaults that differ between `stored` and `current`, for the families and tasks `plan` uses, as lines
    /// `model fcn.depth: 8 → 10`. Fields added since (a new option) or removed are not changes.
    public static func changes(from stored: [String: ConfigValue], to current: [String: ConfigValue] = current,
                               in plan: Plan) -> [String] {
        var used: Set<String> = ["training ", "guidance "]
        for job in plan.jobs {
            used.insert("task \(job.spec.task.name).")
            used.insert("model \(job.spec.target.family).")
            if let guide = job.spec.guide { used.insert("model \(guide.family).") }
        }
        return stored.keys.sorted().compactMap { key in
            guard let old = stored[key], let new = current[key], !old.means(new) else { return nil }
            guard used.contains(where: { key.hasPrefix($0) }) else { return nil }
            return "\(key): \(old.displayText) → \(new.displayText)"
        }
    }
}
