/// A key file that could not be read or written: the path, the line when the content is at
/// fault, what is wrong and what to do.
public struct CurveKeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// 1-based line number of the offending line, when there is one.
    public let line: Int?
    public let reason: String
    public let hint: String

    public init(path: String, line: Int? = nil, reason: String, hint: String = "") {
        self.path = path
        self.line = line
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return hint.isEmpty ? "\(location): \(reason)" : "\(location): \(reason) (\(hint))"
    }
}
