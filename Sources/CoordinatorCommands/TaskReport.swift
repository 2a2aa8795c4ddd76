import Config
import Foundation
import Tasks

/// The text `guidance tasks` prints: the registry's overview with each task's fields, or one task's data.
enum TaskReport {
    /// One line per task (name and summary), then its fields as `name=default` (`name=?` when required).
    static func overview() -> String {
        var lines: [String] = []
        let summaries = TaskRegistry.overview().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (descriptor, summary) in zip(TaskRegistry.all, summaries) {
            lines.append(summary)
            let fields = descriptor.fields.map { field in
                "\(field.name)=" + (field.defaultValue.map { $0 == .null ? "none" : $0.description } ?? "?")
            }
            lines += TextWrap.lines(fields, indent: "    ")
        }
        lines.append("")
        lines.append("? = required. `guidance tasks --describe TASK [--task-opt k=v]` explains the fields and shows the data.")
        return lines.joined(separator: "\n")
    }

    /// The registry's description of `name`, then the data built from `options`: kinds, split sizes, class balance
    /// (or scored targets for per-position outputs), notes and the first training example.
    static func describe(_ name: String, options: [String: ConfigValue]) throws -> String {
        var lines = [try TaskRegistry.describe(name), ""]
        let task = try TaskRegistry.make(name, options: options)
        let dataset = try task.makeDataset()
        let splits = [dataset.train, dataset.validation, dataset.test]
        lines.append("input     \(dataset.inputKind)")
        lines.append("output    \(dataset.outputKind)")
        lines.append("metrics   \(try task.metrics().map(\.name).joined(separator: ", "))")
        lines.append("examples  " + splits.map { "\($0.name) \($0.count)" }.joined(separator: ", "))
        switch dataset.outputKind {
        case .classLogits(let classes):
            lines.append("classes   (examples per class id)")
            for split in splits where !split.isEmpty {
                let counts = split.classCounts(classes: classes)
                let shown = counts.prefix(20).enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " ")
                lines.append("  \(split.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(shown)\(counts.count > 20 ? " …" : "")")
            }
        case .perTokenLogits, .nextTokenLogits:
            let scored = splits.map { split in "\(split.name) \(split.targets.filter { $0 != ignoreIndex }.count)" }
            lines.append("scored    targets per split: " + scored.joined(separator: ", "))
        }
        for key in dataset.notes.keys.sorted() { lines.append("note      \(key): \(dataset.notes[key]!)") }
        if let split = splits.first(where: { !$0.isEmpty }) {
            lines.append("")
            lines.append("first \(split.name) example:")
            lines += ExampleText.lines(split, index: 0, vocabulary: dataset.vocabulary).map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
