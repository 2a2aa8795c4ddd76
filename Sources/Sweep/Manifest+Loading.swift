public import Foundation
import Yams

extension Manifest {
    /// Top-level keys of a manifest.
    static let topKeys = [
        "name", "seeds", "tasks", "models", "targets", "guides", "conditions", "guide_states", "training", "guidance",
        "test", "max_jobs", "trains_if",
    ]

    /// Reads and validates a manifest file. Throws `ManifestError` listing every problem found.
    public static func load(contentsOf url: URL, validators: [any SpecValidator] = [], limits: ManifestLimits = ManifestLimits())
        throws -> Manifest
    {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ManifestError(issues: [ManifestIssue(
                file: url.path, line: nil, column: nil, path: "",
                message: "cannot read the manifest: \(error.localizedDescription)",
                hint: "check the path and that the file is UTF-8 text")])
        }
        return try decode(yaml: text(of: data, file: url.path, limits: limits), file: url.path, validators: validators, limits: limits)
    }

    /// Decodes and validates manifest YAML. `file` names the source in error messages and provides the
    /// default sweep name. Throws `ManifestError` listing every problem found, each with its line; a manifest over
    /// `limits` (size, nesting, jobs) is refused before it is parsed or expanded.
    public static func decode(yaml: String, file: String = "manifest.yaml", validators: [any SpecValidator] = [],
                              limits: ManifestLimits = ManifestLimits()) throws -> Manifest
    {
        if yaml.utf8.count > limits.maxBytes { _ = try text(of: Data(yaml.utf8), file: file, limits: limits) }  // throws
        try checkNesting(yaml, file: file, limits: limits)
        let reader = ManifestReader(file: file)
        reader.limits = limits
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ManifestError(issues: [ManifestIssue(
                    file: file, line: nil, column: nil, path: "", message: "the manifest is empty",
                    hint: "see docs/MANIFEST.md for the shape")])
            }
            root = node
        } catch let error as YamlError {
            throw ManifestError(issues: [issue(for: error, file: file)])
        }
        let manifest = read(root, reader: reader, file: file, validators: validators)
        guard reader.issues.isEmpty, let manifest else { throw ManifestError(issues: reader.issues) }
        return manifest
    }

    private static func read(_ root: Node, reader: ManifestReader, file: String, validators: [any SpecValidator])
        -> Manifest?
    {
        guard let top = reader.fields(root, "", allowed: topKeys) else { return nil }
        let defaultName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let name = top["name"].flatMap { reader.string($0, "name") } ?? defaultName
        let adaptive = reader.seedPolicy(top["seeds"])
        let seeds = adaptive.fixed ?? reader.seeds(top["seeds"])
        let tasks = reader.tasks(top["tasks"])
        let models = reader.models(top["models"])
        let modelNames = top["models"].flatMap { node -> [String]? in
            guard case .mapping(let mapping) = node else { return nil }
            return mapping.keys.compactMap { $0.string }
        } ?? []
        let targets = reader.modelList(top["targets"], "targets", models: models, modelNames: modelNames)
        let guides = reader.modelList(top["guides"], "guides", models: models, modelNames: modelNames)
        let conditions = top["conditions"].map { node in
            reader.listOrSingle(node).enumerated().compactMap { index, element in
                reader.choice(element, "conditions[\(index)]", Condition.self, what: "condition")
            }.uniqued()
        } ?? (guides.isEmpty ? [.baseline] : [.baseline, .guided])
        let guideStates = top["guide_states"].map { node in
            reader.listOrSingle(node).enumerated().compactMap { index, element in
                reader.choice(element, "guide_states[\(index)]", GuideState.self, what: "guide state")
            }.uniqued()
        } ?? [.untrained, .trained]
        let trainings = reader.trainings(top["training"])
        let guidances = reader.guidances(top["guidance"])
        let kinds = reader.kinds(top["test"])
        // Each target runs every unguided condition once and every guided one per guide and guide state.
        let guidedCount = conditions.filter(\.usesGuide).count
        let conditionRuns = (conditions.count - guidedCount) + guidedCount * max(guides.count, 1) * max(guideStates.count, 1)
        let axes = [("seeds", seeds.count), ("tasks", tasks.count), ("targets", targets.count),
                    ("condition runs", conditionRuns), ("training", trainings?.count ?? 1),
                    ("guidance", guidances?.count ?? 1), ("test", kinds?.count ?? 1)]
        let product = gridProduct(axes)
        if product > reader.limits.maxJobs {
            let factors = axes.filter { $0.1 > 1 }.map { "\($0.0) \($0.1)" }.joined(separator: " × ")
            reader.report(root, "", "the grid multiplies to \(product == .max ? "more than \(Int.max)" : String(product)) jobs (\(factors)), more than the limit of \(reader.limits.maxJobs)",
                          hint: "shrink an axis, split the sweep, or raise the limit with --max-jobs")
            return nil
        }

        if top["tasks"] == nil {
            reader.report(root, "tasks", "missing required key \"tasks\"", hint: "for example tasks: [{name: mnist1d}]")
        }
        if top["targets"] == nil {
            reader.report(root, "targets", "missing required key \"targets\"",
                          hint: "list model names from models:, or inline {family: ...}")
        }
        let guided = conditions.filter(\.usesGuide)
        if let first = guided.first, guides.isEmpty, top["guides"] == nil || !reader.issues.contains(where: { $0.path.hasPrefix("guides") }) {
            reader.report(top["conditions"] ?? root, "conditions",
                          "condition \"\(first.rawValue)\" needs a guide, but no guides are given",
                          hint: "add guides: [...], or keep only baseline")
        }
        if !guided.isEmpty, guideStates.isEmpty, top["guide_states"] != nil {
            reader.report(top["guide_states"]!, "guide_states", "no guide states given",
                          hint: "use untrained, trained or both")
        }
        if let first = conditions.first(where: \.readsInitSteps), let trainings, let guidances {
            for training in trainings {
                for guidance in guidances where guidance.initSteps >= training.steps {
                    reader.report(top["guidance"] ?? root, "guidance.init_steps",
                                  "init_steps (\(guidance.initSteps)) is not below training.steps (\(training.steps)): \(first.rawValue) would run every step",
                                  hint: "lower init_steps or raise steps")
                }
            }
        }
        if conditions.contains(where: { $0.usesGuide && $0 != .distill && $0 != .distillInit }), let trainings, let guidances {
            let node = top["guidance"]?["cka_batch"] ?? top["guidance"] ?? root
            for guidance in guidances {
                guard let n = guidance.ckaBatch else { continue }
                if let training = trainings.first(where: { $0.batchSize < n }) {
                    reader.report(node, "guidance.cka_batch",
                                  "cka_batch (\(n)) is larger than training.batch_size (\(training.batchSize)): it takes the first N examples of each batch",
                                  hint: "lower cka_batch to at most batch_size, or leave it out for the whole batch")
                    break
                }
                if guidance.similarity == .debiasedCKA, n < 4 {
                    reader.report(node, "guidance.cka_batch", "debiased-cka needs at least 4 examples, found cka_batch \(n)",
                                  hint: "raise cka_batch to 4 or more")
                    break
                }
            }
        }
        if let first = conditions.first(where: \.shufflesGuideBatch), let trainings,
           let training = trainings.first(where: { $0.batchSize < 2 }) {
            reader.report(top["training"]?["batch_size"] ?? top["training"] ?? root, "training.batch_size",
                          "condition \"\(first.rawValue)\" shuffles each batch for the guide, which needs at least 2 examples; found batch_size \(training.batchSize)",
                          hint: "raise batch_size, or drop \(first.rawValue)")
        }
        for task in tasks {
            for validator in validators {
                for (role, models) in [(ModelRole.target, targets), (.guide, guided.isEmpty ? [] : guides)] {
                    for model in models {
                        for message in validator.validate(task: task.value, model: model.value, role: role,
                                                          conditions: conditions, guideStates: guideStates) {
                            reader.report(model.node, model.path,
                                          "\(role.rawValue) \(model.value.displayName) on task \(task.value.name): \(message)")
                        }
                    }
                }
            }
        }
        let aligning = conditions.contains { $0.usesGuide && $0 != .distill && $0 != .distillInit }
        if aligning, let guidances, reader.issues.isEmpty {
            let node = top["guidance"]?["readout"] ?? top["guidance"] ?? root
            var reported = Set<String>()
            for guidance in guidances where guidance.readout != .flat {
                for task in tasks {
                    for target in targets {
                        for guide in guides {
                            for validator in validators {
                                for message in validator.validate(task: task.value, target: target.value, guide: guide.value,
                                                                  guidance: guidance) where reported.insert(message).inserted {
                                    reader.report(node, "guidance.readout",
                                                  "target \(target.value.displayName) <- guide \(guide.value.displayName) on task \(task.value.name): \(message)")
                                }
                            }
                        }
                    }
                }
            }
        }
        let trainsIf = reader.trainsIf(top["trains_if"], tasks: tasks.map { task in
            (task.value.name, validators.compactMap { $0.metrics(task: task.value) }.first)
        })
        let maxJobs = reader.maxJobs(top["max_jobs"])
        guard let trainings, let guidances, let kinds else { return nil }
        var manifest = Manifest(
            name: name, seeds: seeds, tasks: tasks.map(\.value).uniqued(), targets: targets.map(\.value).uniqued(),
            guides: guides.map(\.value).uniqued(), conditions: conditions, guideStates: guideStates,
            trainings: trainings, guidances: guidances, kinds: kinds)
        manifest.seedPolicy = adaptive.policy
        manifest.maxJobs = maxJobs
        manifest.trainsIf = trainsIf
        return manifest
    }

    private static func issue(for error: YamlError, file: String) -> ManifestIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text) " } ?? ""
            return ManifestIssue(file: file, line: mark.line, column: mark.column, path: "",
                                 message: "not valid YAML: \(detail)\(problem)",
                                 hint: "check indentation, colons and brackets near this line")
        default:
            return ManifestIssue(file: file, line: nil, column: nil, path: "", message: "not valid YAML: \(error)")
        }
    }
}
