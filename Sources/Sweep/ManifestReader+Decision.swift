import Config
import Yams

/// The manifest keys that make matrices decide: adaptive `seeds`, `max_jobs`, `trains_if`.
extension ManifestReader {
    static let seedPolicyKeys = ["initial", "max", "until", "metric"]

    /// `seeds: {initial: 3, max: 12, until: decided | {half_width: 2.0}, metric: test_accuracy}`. nil (and nothing
    /// reported) for a list or a count; nil after reporting for a bad mapping. Without `max` and `until` it is the
    /// fixed seeds `0..<initial` (nil policy, `fixed` set).
    func seedPolicy(_ node: Node?, _ path: String = "seeds") -> (policy: SeedPolicy?, fixed: [Int]?) {
        guard let node, case .mapping = node else { return (nil, nil) }
        guard let f = fields(node, path, allowed: Self.seedPolicyKeys) else { return (nil, []) }
        guard let initialNode = f["initial"] else {
            report(node, join(path, "initial"), "missing required key \"initial\"",
                   hint: "for example seeds: {initial: 3, max: 12, until: decided}")
            return (nil, [])
        }
        let initial = int(initialNode, join(path, "initial"), min: 1)
        let max = f["max"].flatMap { int($0, join(path, "max"), min: 1) }
        var until = SeedPolicy.StoppingRule.decided
        if let untilNode = f["until"] {
            if f["max"] == nil {
                report(untilNode, join(path, "until"), "until needs max: seeds are added until the cell is decided or has max seeds",
                       hint: "add max, for example seeds: {initial: 3, max: 12, until: decided}")
            }
            if case .mapping = untilNode {
                if let rule = fields(untilNode, join(path, "until"), allowed: ["half_width"]) {
                    if let width = rule["half_width"] {
                        if let w = double(width, join(path, "until.half_width"), above: 0) { until = .halfWidth(w) }
                    } else {
                        report(untilNode, join(path, "until"), "expected {half_width: NUMBER}", hint: "or until: decided")
                    }
                }
            } else if string(untilNode, join(path, "until")) != "decided" {
                if case .scalar(let scalar) = untilNode, !scalar.string.isEmpty {
                    report(untilNode, join(path, "until"), "unknown stopping rule \"\(scalar.string)\"",
                           hint: "until: decided (the 95% interval excludes 0), or until: {half_width: 2.0}")
                }
            }
        }
        let metric = f["metric"].flatMap { string($0, join(path, "metric")) }
        guard let initial else { return (nil, []) }
        guard let max else { return (nil, Array(0..<initial)) }
        if max < initial {
            report(f["max"], join(path, "max"), "max (\(max)) is below initial (\(initial))",
                   hint: "max is the most seeds a cell may get, so at least initial")
            return (nil, [])
        }
        return (SeedPolicy(initial: initial, max: max, until: until, metric: metric), Array(0..<initial))
    }

    /// `max_jobs: N` (integer ≥ 1), or nil.
    func maxJobs(_ node: Node?) -> Int? {
        node.flatMap { int($0, "max_jobs", min: 1) }
    }

    /// `trains_if: {test_accuracy: 0.2}`: metric name → threshold, each checked against the tasks' metrics when
    /// `known` (per task, from the validators) is given.
    func trainsIf(_ node: Node?, tasks: [(name: String, metrics: Set<String>?)]) -> [String: Double] {
        guard let node, let entries = mapping(node, "trains_if") else { return [:] }
        var result: [String: Double] = [:]
        for entry in entries {
            let path = join("trains_if", entry.key)
            if let value = double(entry.value, path) { result[entry.key] = value }
            for task in tasks {
                guard let known = task.metrics, !known.contains(entry.key) else { continue }
                report(entry.keyNode, path, "task \(task.name) has no metric \"\(entry.key)\"",
                       hint: Suggestion.hint(for: entry.key, in: known) ?? "its metrics: " + known.sorted().joined(separator: ", "))
            }
        }
        return result
    }
}
