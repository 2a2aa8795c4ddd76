import Config
import Foundation
import Sweep

/// Short labels for values that differ in a few fields: each value's encoded JSON is flattened to dotted
/// paths (`training.optimizer.lr`), and a label lists only the paths whose values differ between them.
enum VaryingFields {
    /// `[a, b]` → `["lr=0.001", "lr=0.01"]`; all "" when the values encode identically or there is one.
    static func labels<T: Encodable>(_ values: [T], prefix: String = "") -> [String] {
        let flat = values.map { flatten($0, prefix: prefix) }
        let paths = Set(flat.flatMap(\.keys)).sorted()
        let varying = paths.filter { path in Set(flat.map { $0[path] ?? "∅" }).count > 1 }
        return flat.map { fields in
            varying.compactMap { path in fields[path].map { "\(shortName(path))=\($0)" } }.joined(separator: ", ")
        }
    }

    /// Dotted path → value text of `value`'s JSON encoding.
    static func flatten<T: Encodable>(_ value: T, prefix: String = "") -> [String: String] {
        guard let data = try? JSONCoding.makeEncoder().encode(value),
              let tree = try? JSONCoding.makeDecoder().decode(ConfigValue.self, from: data) else { return [:] }
        var out: [String: String] = [:]
        walk(tree, prefix, &out)
        return out
    }

    private static func walk(_ value: ConfigValue, _ prefix: String, _ out: inout [String: String]) {
        if case .object(let members) = value, members.isEmpty, prefix.isEmpty { return }  // no fields, not a field "" = {}
        if case .object(let members) = value, !members.isEmpty {
            for (key, member) in members { walk(member, prefix.isEmpty ? key : prefix + "." + key, &out) }
        } else {
            out[prefix] = value.displayText
        }
    }

    /// The last two path components at most: `training.optimizer.lr` → `optimizer.lr`.
    private static func shortName(_ path: String) -> String {
        path.split(separator: ".").suffix(2).joined(separator: ".")
    }
}
