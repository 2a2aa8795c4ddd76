/// A setting given on the command line that cannot be used.
public struct SettingError: Error, Sendable, CustomStringConvertible {
    public var origin: String
    public var message: String
    public var hint: String?

    public init(origin: String, message: String, hint: String? = nil) {
        self.origin = origin
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(origin): \(message)" + (hint.map { " (\($0))" } ?? "") }
}
