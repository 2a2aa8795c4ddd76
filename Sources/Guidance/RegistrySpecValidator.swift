import ModelSchema
import Models
import NN
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
        } catch let error as TaskError {
            return ["\(error)"]  // already names the task
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

    /// The taps of both models (built as a seed-0 job builds them) under the mapping: a readout other than flat needs
    /// sequence taps on both sides of every pair (`TapReadout.problem`).
    public func validate(task: TaskSpec, target: ModelSpec, guide: ModelSpec, guidance: GuidanceConfig) -> [String] {
        guard guidance.readout != .flat else { return [] }
        do {
            let shape = try TaskRegistry.make(task.name, options: task.options).shape()
            let input = TaskData.modelInput(shape.input), output = TaskData.modelOutput(shape.output)
            func taps(_ model: ModelSpec, _ seed: UInt64) throws -> [(name: String, shape: [Int])] {
                try ModelBuilder.build(family: model.family, options: model.options, input: input, output: output,
                                       init: ParameterInit(seed: seed)).describeTapShapes()
            }
            let targetTaps = try taps(target, 1), guideTaps = try taps(guide, 2)
            let alignment = try TapAlignment(guide: guideTaps.map(\.name), target: targetTaps.map(\.name), mapping: guidance.mapping,
                                             measure: .linearCKA, epsilon: guidance.epsilon)
            return alignment.pairs.compactMap {
                TapReadout.problem(guidance.readout, target: targetTaps[$0.target], guide: guideTaps[$0.guide])
            }.prefix(1).map { $0 }
        } catch {
            return []  // a model or task that cannot be built is reported by the other checks
        }
    }

    /// Also refuses a guide-only family (`input`) as a target, as a trained guide and with `distill`/`distill-init`
    /// (`ModelFamily.guideOnlyProblems`).
    public func validate(task: TaskSpec, model: ModelSpec, role: ModelRole, conditions: [Condition],
                         guideStates: [GuideState]) -> [String] {
        let problems = validate(task: task, model: model, role: role)
        guard let family = ModelFamily(rawValue: model.family) else { return problems }
        return problems + family.guideOnlyProblems(role: role, conditions: conditions, guideStates: guideStates)
    }
}
