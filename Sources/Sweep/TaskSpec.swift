public import Config
/// A task: its registry name (`mnist1d`, `copy-paste`, ...) and free-form options the task registry
/// interprets (sizes, lengths, file paths). Sweep only requires a non-empty name.
public struct TaskSpec: Codable, Hashable, Sendable {
    public var name: String
    public var options: [String: ConfigValue]

    public init(name: String, options: [String: ConfigValue] = [:]) {
        self.name = name
        self.options = options
    }
}

extension TaskSpec: CanonicalEncodable {
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        writer.beginObject()
        writer.field("name", name)
        writer.field("options", options)
        writer.endObject()
    }
}
