import Models
public import Sweep
import Tasks

/// Checks manifests against the task registry and the model builder before anything runs: the task exists
/// and its options are valid, and the model family exists, its options are valid and it can serve the
/// task's input and output kinds. Pass it to `Manifest.load(contentsOf:validators:)`.
public struct RegistrySpecValidator: SpecValidator {
    public init() {}

    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole) -> [String] {
        let shape: TaskShape
        do {
            shape = try TaskRegistry.make(task.name, options: task.options).shape()
        } catch {
            return ["task \(task.name): \(error)"]
        }
        do {
            try ModelBuilder.validate(family: model.family, options: model.options, input: TaskData.modelInput(shape.input),
                                      output: TaskData.modelOutput(shape.output))
        } catch {
            return ["\(error)"]
        }
        return []
    }

    public func metrics(task: TaskSpec) -> Set<String>? {
        guard let shape = try? TaskRegistry.make(task.name, options: task.options).shape() else { return nil }
        return MetricAccumulator.recordMetricNames(TaskData.modelOutput(shape.output))
    }
}
