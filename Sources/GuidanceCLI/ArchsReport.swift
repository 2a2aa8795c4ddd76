import Config
import Foundation

/// What `guidance archs` prints: the families with their fields, or each family as built for an input and output.
struct ArchsReport: Encodable {
    struct Field: Encodable {
        let name: String
        let `default`: String
        let help: String
    }

    struct Tap: Encodable {
        let name: String
        /// Features per example (the activation flattened).
        let width: Int
    }

    struct Family: Encodable {
        let family: String
        var summary: String?
        var fields: [Field]?
        var options: [String: ConfigValue]?
        var parameters: Int?
        var taps: [Tap]?
        /// Why the family cannot serve the input and output (or its options are wrong).
        var error: String?

        init(family: String, summary: String? = nil, fields: [Field]? = nil) {
            self.family = family
            self.summary = summary
            self.fields = fields
        }
    }

    /// Input and output specs (`image:1x28x28`, `classes:10`), when the families were built for them.
    let input: String?
    let output: String?
    let families: [Family]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        var lines: [String] = []
        if let input, let output { lines.append("input \(input) → output \(output)\n") }
        for family in families {
            if let summary = family.summary {
                lines.append("\(family.family): \(summary)")
                let nameWidth = family.fields?.map(\.name.count).max() ?? 0
                let defaultWidth = family.fields?.map(\.default.count).max() ?? 0
                for field in family.fields ?? [] {
                    lines.append("    \(pad(field.name, nameWidth))  \(pad(field.default, defaultWidth))  \(field.help)")
                }
            } else if let error = family.error {
                lines.append("\(family.family): cannot build: \(error)")
            } else {
                let taps = family.taps ?? []
                lines.append("\(family.family): \(family.parameters ?? 0) parameters, \(taps.count) taps")
                let nameWidth = taps.map(\.name.count).max() ?? 0
                for tap in taps { lines.append("    \(pad(tap.name, nameWidth))  \(tap.width)") }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
