import Config
import Yams

/// Reads manifest YAML nodes into typed values, collecting every problem with its line and field path
/// instead of stopping at the first.
final class ManifestReader {
    let file: String
    private(set) var issues: [ManifestIssue] = []
    private var seen: Set<ManifestIssue> = []

    /// Bounds that readers enforce while reading (a seed count past `maxJobs` is refused before it is expanded).
    var limits = ManifestLimits()

    init(file: String) { self.file = file }

    // MARK: Reporting

    func report(_ node: Node?, _ path: String, _ message: String, hint: String? = nil) {
        let issue = ManifestIssue(
            file: file, line: node?.mark?.line, column: node?.mark?.column, path: path, message: message, hint: hint)
        if seen.insert(issue).inserted { issues.append(issue) }
    }

    /// The node's resolved YAML tag (`tag:yaml.org,2002:int`, ...).
    static func tagName(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.description) }

    /// A short rendering of a node for "found ..." messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return Self.tagName(node) == .str ? "\"\(text)\"" : (text.isEmpty ? "null" : text)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    // MARK: Structure

    /// The node's key/value pairs in document order, or nil (reported) when it is not a mapping.
    /// Duplicate and non-string keys are reported.
    func mapping(_ node: Node, _ path: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping (key: value), found \(Self.describe(node))")
            return nil
        }
        var entries: [(key: String, keyNode: Node, value: Node)] = []
        var keys: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                report(keyNode, path, "keys must be plain names, found \(Self.describe(keyNode))")
                continue
            }
            if !keys.insert(scalar.string).inserted {
                report(keyNode, join(path, scalar.string), "duplicate key \"\(scalar.string)\"",
                       hint: "each key may appear once; give several values as a list")
                continue
            }
            entries.append((scalar.string, keyNode, value))
        }
        return entries
    }

    /// Reports every key not in `allowed` (with a did-you-mean) and returns the entries by key.
    func fields(_ node: Node, _ path: String, allowed: [String]) -> [String: Node]? {
        guard let entries = mapping(node, path) else { return nil }
        var result: [String: Node] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                result[entry.key] = entry.value
            } else {
                let hint = Suggestion.hint(for: entry.key, in: allowed)
                    ?? "allowed keys: " + allowed.joined(separator: ", ")
                report(entry.keyNode, join(path, entry.key), "unknown key \"\(entry.key)\"", hint: hint)
            }
        }
        return result
    }

    /// The elements of a list, or the node itself as a one-element list when it is not a sequence.
    func listOrSingle(_ node: Node) -> [Node] {
        if case .sequence(let sequence) = node { return Array(sequence) }
        return [node]
    }

    /// Axis values: a list gives one value per element (an empty list is reported), anything else one value.
    /// Returns nil when any element failed to read. Elements that are themselves lists are refused unless
    /// `listElements` (free-form options, where `[[64, 64]]` is an axis with one list value).
    func axis<T>(_ node: Node, _ path: String, listElements: Bool = false, read: (Node, String) -> T?) -> [T]? {
        if case .sequence(let sequence) = node {
            if sequence.isEmpty {
                report(node, path, "empty list", hint: "a list makes a grid axis and needs at least one value")
                return nil
            }
            var values: [T] = []
            var failed = false
            for (index, element) in sequence.enumerated() {
                if case .sequence = element, !listElements {
                    report(element, "\(path)[\(index)]", "expected a single value in this axis, found a list")
                    failed = true
                } else if let value = read(element, "\(path)[\(index)]") {
                    values.append(value)
                } else {
                    failed = true
                }
            }
            return failed ? nil : values
        }
        return read(node, path).map { [$0] }
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    // MARK: Scalars

    /// A scalar as a JSON-like value following YAML's implicit typing; lists and mappings convert
    /// recursively. Non-finite numbers are reported (they have no JSON form).
    func value(_ node: Node, _ path: String) -> ConfigValue? {
        switch node {
        case .scalar(let scalar):
            switch Self.tagName(node) {
            case .null: return .null
            case .bool: return node.bool.map(ConfigValue.bool)
            case .int:
                if let int = node.int { return .int(int) }
                report(node, path, "integer \(scalar.string) is out of range")
                return nil
            case .float:
                guard let double = node.float, double.isFinite else {
                    report(node, path, "expected a finite number, found \(scalar.string)")
                    return nil
                }
                return .double(double)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var values: [ConfigValue] = []
            for (index, element) in sequence.enumerated() {
                guard let value = value(element, "\(path)[\(index)]") else { return nil }
                values.append(value)
            }
            return .array(values)
        case .mapping:
            guard let entries = mapping(node, path) else { return nil }
            var members: [String: ConfigValue] = [:]
            for entry in entries {
                guard let value = value(entry.value, join(path, entry.key)) else { return nil }
                members[entry.key] = value
            }
            return .object(members)
        }
    }

    func int(_ node: Node, _ path: String, min: Int? = nil) -> Int? {
        guard case .scalar = node, Self.tagName(node) == .int, let value = node.int else {
            report(node, path, "expected an integer\(min.map { " ≥ \($0)" } ?? ""), found \(Self.describe(node))")
            return nil
        }
        if let min, value < min {
            report(node, path, "expected an integer ≥ \(min), found \(value)")
            return nil
        }
        return value
    }

    /// A finite number; integers are accepted. `above` is exclusive, `atLeast` and `below` as named.
    func double(_ node: Node, _ path: String, above: Double? = nil, atLeast: Double? = nil, below: Double? = nil) -> Double? {
        var allowed = "a number"
        if let above { allowed += " > \(above)" }
        if let atLeast { allowed += " ≥ \(atLeast)" }
        if let below { allowed += (above == nil && atLeast == nil ? " < " : " and < ") + "\(below)" }
        guard case .scalar = node, Self.tagName(node) == .int || Self.tagName(node) == .float,
              let value = node.float ?? node.int.map(Double.init), value.isFinite
        else {
            report(node, path, "expected \(allowed), found \(Self.describe(node))")
            return nil
        }
        if let above, !(value > above) { report(node, path, "expected \(allowed), found \(value)"); return nil }
        if let atLeast, !(value >= atLeast) { report(node, path, "expected \(allowed), found \(value)"); return nil }
        if let below, !(value < below) { report(node, path, "expected \(allowed), found \(value)"); return nil }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        guard case .scalar = node, Self.tagName(node) == .bool, let value = node.bool else {
            report(node, path, "expected true or false, found \(Self.describe(node))")
            return nil
        }
        return value
    }

    /// A non-empty string (plain scalars that YAML would type as numbers are accepted as text).
    func string(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null, !scalar.string.isEmpty else {
            report(node, path, "expected a non-empty string, found \(Self.describe(node))")
            return nil
        }
        return scalar.string
    }

    /// One of an enum's raw values, with a did-you-mean.
    func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _ type: E.Type, what: String) -> E?
    where E.RawValue == String {
        let allowed = E.allCases.map(\.rawValue)
        guard case .scalar(let scalar) = node, Self.tagName(node) != .null else {
            report(node, path, "expected a \(what) (\(allowed.joined(separator: ", "))), found \(Self.describe(node))")
            return nil
        }
        if let value = E(rawValue: scalar.string) { return value }
        report(node, path, "unknown \(what) \"\(scalar.string)\"",
               hint: Suggestion.hint(for: scalar.string, in: allowed) ?? "allowed: " + allowed.joined(separator: ", "))
        return nil
    }

    /// `null` gives `.some(nil)`; anything else goes through `read`.
    func optional<T>(_ node: Node, _ path: String, _ read: (Node, String) -> T?) -> T?? {
        if case .scalar = node, Self.tagName(node) == .null { return .some(nil) }
        return read(node, path).map { .some($0) }
    }
}
