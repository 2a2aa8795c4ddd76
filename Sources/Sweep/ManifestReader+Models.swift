import Config
import Yams

/// A model or task variant together with the node it was defined at (for validator messages).
struct Located<Value> {
    var value: Value
    var node: Node
    var path: String
}

extension ManifestReader {
    /// Free-form options: each value a list (an axis over its elements) or a single value.
    /// Returns the option axes in key order, or nil on errors.
    private func optionGrid(_ entries: [(key: String, keyNode: Node, value: Node)], skipping: Set<String>, _ path: String)
        -> (grid: Grid<[String: ConfigValue]>, axisKeys: [String])?
    {
        var grid = Grid<[String: ConfigValue]>()
        var axisKeys: [String] = []
        for entry in entries where !skipping.contains(entry.key) {
            let key = entry.key
            let values = axis(entry.value, join(path, key), listElements: true) { node, path -> ConfigValue? in
                self.value(node, path)
            }
            if let values, values.count > 1 { axisKeys.append(key) }
            grid.add(values) { $0[key] = $1 }
        }
        return grid.failed ? nil : (grid, axisKeys)
    }

    /// A model definition (`{family: fcn, depth: [4, 8]}`) expanded over its option axes, each variant
    /// labelled `name` or `name[depth=4]`.
    func modelVariants(_ node: Node, _ path: String, name: String?) -> [Located<ModelSpec>]? {
        guard let entries = mapping(node, path) else { return nil }
        guard let familyEntry = entries.first(where: { $0.key == "family" }) else {
            report(node, path, "a model needs a family", hint: "for example {family: fcn, depth: 8, width: 256}")
            return nil
        }
        guard let families = axis(familyEntry.value, join(path, "family"), read: { self.string($0, $1) }),
              let (options, axisKeys) = optionGrid(entries, skipping: ["family"], path) else { return nil }
        var results: [Located<ModelSpec>] = []
        for family in families {
            for optionSet in options.expand([:]) {
                var label = name ?? family
                var varying = axisKeys.map { "\($0)=\(optionSet[$0]!.displayText)" }
                if families.count > 1 { varying.insert("family=\(family)", at: 0) }
                if !varying.isEmpty { label += "[" + varying.joined(separator: ",") + "]" }
                results.append(Located(value: ModelSpec(family: family, options: optionSet, label: label), node: node, path: path))
            }
        }
        return results
    }

    /// The `models` block: name → variants.
    func models(_ node: Node?, _ path: String = "models") -> [String: [Located<ModelSpec>]] {
        guard let node, let entries = mapping(node, path) else { return [:] }
        var result: [String: [Located<ModelSpec>]] = [:]
        for entry in entries {
            if let variants = modelVariants(entry.value, join(path, entry.key), name: entry.key) {
                result[entry.key] = variants
            }
        }
        return result
    }

    /// `targets` / `guides`: names from `models` or inline definitions.
    func modelList(_ node: Node?, _ path: String, models: [String: [Located<ModelSpec>]], modelNames: [String])
        -> [Located<ModelSpec>]
    {
        guard let node else { return [] }
        var result: [Located<ModelSpec>] = []
        for (index, element) in listOrSingle(node).enumerated() {
            let elementPath = "\(path)[\(index)]"
            switch element {
            case .mapping:
                result += modelVariants(element, elementPath, name: nil) ?? []
            case .scalar(let scalar) where Self.tagName(element) != .null:
                if let variants = models[scalar.string] {
                    result += variants
                } else if !modelNames.contains(scalar.string) {
                    let hint = Suggestion.hint(for: scalar.string, in: modelNames)
                        ?? (modelNames.isEmpty ? "define it under models:, or write it inline as {family: ...}"
                            : "defined models: " + modelNames.joined(separator: ", "))
                    report(element, elementPath, "unknown model \"\(scalar.string)\"", hint: hint)
                }
            default:
                report(element, elementPath, "expected a model name or an inline {family: ...}, found \(Self.describe(element))")
            }
        }
        return result
    }

    /// `tasks`: names or `{name: ..., option: value-or-axis}` mappings, expanded over option axes.
    func tasks(_ node: Node?, _ path: String = "tasks") -> [Located<TaskSpec>] {
        guard let node else { return [] }
        var result: [Located<TaskSpec>] = []
        for (index, element) in listOrSingle(node).enumerated() {
            let elementPath = "\(path)[\(index)]"
            if case .scalar = element {
                if let name = string(element, elementPath) {
                    result.append(Located(value: TaskSpec(name: name), node: element, path: elementPath))
                }
                continue
            }
            guard let entries = mapping(element, elementPath) else { continue }
            guard let nameEntry = entries.first(where: { $0.key == "name" }) else {
                report(element, elementPath, "a task needs a name", hint: "for example {name: mnist1d, train: 4000}")
                continue
            }
            guard let name = string(nameEntry.value, join(elementPath, "name")),
                  let (options, _) = optionGrid(entries, skipping: ["name"], elementPath) else { continue }
            for optionSet in options.expand([:]) {
                result.append(Located(value: TaskSpec(name: name, options: optionSet), node: element, path: elementPath))
            }
        }
        return result
    }

    /// `seeds`: a list of integers, or a count N meaning 0..<N. Default [0].
    func seeds(_ node: Node?, _ path: String = "seeds") -> [Int] {
        guard let node else { return [0] }
        if case .scalar = node {
            guard let count = int(node, path, min: 1) else { return [] }
            guard count <= limits.maxJobs else {
                report(node, path, "\(count) seeds make more jobs than the limit of \(limits.maxJobs)",
                       hint: "use fewer seeds, split the sweep, or raise the limit with --max-jobs")
                return []
            }
            return Array(0..<count)
        }
        guard let seeds = axis(node, path, read: { self.int($0, $1) }) else { return [] }
        if seeds.count != Set(seeds).count {
            report(node, path, "seeds repeat: \(seeds.map(String.init).joined(separator: ", "))",
                   hint: "each seed is one replicate; list it once")
        }
        return seeds.uniqued()
    }
}
