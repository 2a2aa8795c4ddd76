import Config
import ModelSchema
import Tasks

/// A job's identity must not depend on how its manifest was written: options equal to their defaults are left out
/// before hashing (the defaults come from `ModelFamily.fields` and each task's `TaskField`s, written once), so
/// `{family: fcn}` and `{family: fcn, depth: 8}` are one job, and adding an option whose default keeps today's
/// behaviour leaves every existing id unchanged. Unknown families, tasks and fields stay as written: validation
/// reports them.
extension ModelSpec {
    /// This spec with default-valued options left out (label kept).
    public var normalized: ModelSpec {
        ModelSpec(family: family, options: ModelFamily.normalized(family: family, options: options), label: label)
    }
}

extension TaskSpec {
    /// This spec with default-valued options left out.
    public var normalized: TaskSpec {
        guard let descriptor = try? TaskRegistry.descriptor(named: name) else { return self }
        var result: [String: ConfigValue] = [:]
        for (key, value) in options where value != .null {
            if let field = descriptor.fields.first(where: { $0.name == key }), let fallback = field.defaultValue,
               value.means(fallback) {
                continue
            }
            result[key] = value
        }
        return TaskSpec(name: name, options: result)
    }
}

extension JobSpec {
    /// This spec with its models' and task's default-valued options left out (what `Plan` hashes).
    public var normalized: JobSpec {
        var spec = self
        spec.task = task.normalized
        spec.target = target.normalized
        spec.guide = guide?.normalized
        return spec
    }
}
