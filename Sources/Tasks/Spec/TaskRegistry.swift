/// Every task the system knows, by name.
public enum TaskRegistry {
    public static let all: [TaskDescriptor] = [
        MNIST1DTask.descriptor,
        CopyPasteTask.descriptor,
        ParityTask.descriptor,
        ModularAdditionTask.descriptor,
        CharLMTask.descriptor,
        IDXTask.descriptor,
        CIFARTask.descriptor,
        CIFAR100Task.descriptor,
        NPYTask.descriptor,
    ]

    /// Task names, in registry order.
    public static var names: [String] { all.map(\.name) }

    /// The entry for `name`, or an error listing the known names.
    public static func descriptor(named name: String) throws -> TaskDescriptor {
        guard let d = all.first(where: { $0.name == name }) else {
            throw TaskError(task: name, .unknownTask(known: names))
        }
        return d
    }

    /// Builds and validates task `name` from manifest options.
    public static func make(_ name: String, options: [String: TaskOptionValue] = [:]) throws -> any TaskDefinition {
        try descriptor(named: name).make(options)
    }

    /// A one-line-per-task overview.
    public static func overview() -> String {
        let width = all.map(\.name.count).max() ?? 0
        return all.map { $0.name + String(repeating: " ", count: width + 2 - $0.name.count) + $0.summary }
            .joined(separator: "\n")
    }

    /// The full description of one task: summary and every field with type and default.
    public static func describe(_ name: String) throws -> String {
        let d = try descriptor(named: name)
        var lines = ["\(d.name): \(d.summary)", "fields:"]
        for f in d.fields {
            let value = f.defaultValue.map { $0 == .null ? "none" : $0.description } ?? "required"
            var line = "  \(f.name) (\(f.type.rawValue), default \(value)): \(f.summary)"
            if let choices = f.choices { line += " [\(choices.joined(separator: "|"))]" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
