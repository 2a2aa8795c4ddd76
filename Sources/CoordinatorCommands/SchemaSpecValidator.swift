import Config
public import ModelSchema
public import Sweep
import Tasks

/// Checks a manifest's specs with what is known without libtorch, for the coordinator product: the task exists and
/// its options are valid (the task registry), the model family exists, every model option is one of the family's
/// fields (`ModelFamily.fields`, with a did-you-mean hint), and a guide-only family is used only as an untrained
/// guide. Option values (ranges, shapes that fit the task) are checked by the model builder, which needs libtorch:
/// `guidance` uses `RegistrySpecValidator` instead, and a worker refuses such a job when it builds the model.
public struct SchemaSpecValidator: SpecValidator {
    public init() {}

    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String] {
        do {
            _ = try TaskRegistry.make(task.name, options: task.options).shape()
        } catch let error as TaskError {
            return ["\(error)"]  // already names the task
        } catch {
            return ["task \(task.name): \(error)"]
        }
        let family: ModelFamily
        do {
            family = try ModelFamily.named(model.family)
        } catch {
            return ["\(error)"]
        }
        let fields = family.fields.map(\.name)
        return model.options.keys.sorted().filter { !fields.contains($0) }.map { name in
            "\(OptionError(subject: "model \(model.family)", field: name, reason: "is not a known field\(Suggestion.parenthesized(for: name, in: fields)); known fields: \(fields.sorted().joined(separator: ", "))"))"
        }
    }

    /// Also refuses a guide-only family (`input`) as a target, as a trained guide and with `distill`/`distill-init`
    /// (`ModelFamily.guideOnlyProblems`, the rule `RegistrySpecValidator` applies too).
    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                         guideStates: [GuideState]) -> [String] {
        let problems = validate(task: task, model: model, role: role)
        guard let family = ModelFamily(rawValue: model.family) else { return problems }
        return problems + family.guideOnlyProblems(role: role, conditions: conditions, guideStates: guideStates)
    }
}
