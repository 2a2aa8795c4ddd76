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

    /// Also refuses a guide-only family (`input`) as a target, as a trained guide and with `distill` (the same rule
    /// as `RegistrySpecValidator`'s).
    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                         guideStates: [GuideState]) -> [String] {
        var problems = validate(task: task, model: model, role: role)
        guard let family = ModelFamily(rawValue: model.family), family.isGuideOnly else { return problems }
        switch role {
        case .target:
            problems.append("family \(family.rawValue) can only be a guide (it has no parameters to train); move it to guides")
        case .guide:
            if conditions.contains(where: \.usesGuide), guideStates.contains(.trained) {
                problems.append("guide_states includes trained, but family \(family.rawValue) has no parameters to train; use guide_states: [untrained] (a separate manifest for trained guides)")
            }
            if conditions.contains(.distill) {
                problems.append("conditions include distill, but family \(family.rawValue) has no logits to distil from; drop distill or this guide")
            }
        }
        return problems
    }
}
