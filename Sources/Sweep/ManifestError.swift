/// One problem found in a manifest: where it is (file, line, column, field path), what was found and
/// what is allowed.
public struct ManifestIssue: Hashable, Sendable, CustomStringConvertible {
    /// The file name as given to the loader.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// Dotted field path (`training.optimizer.lr`, `tasks[1].name`); empty for the whole document.
    public var path: String
    /// What is wrong (found vs allowed).
    public var message: String
    /// What to do about it, when there is something specific to say.
    public var hint: String?

    public init(file: String, line: Int?, column: Int?, path: String, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `demo.yaml:12:7: training.optimizer.lr: expected a number > 0, found -1 (hint)`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let column { text += ":\(column)" }
        text += ": "
        if !path.isEmpty { text += path + ": " }
        text += message
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// A manifest that cannot be run, with every problem found (not just the first).
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var issues: [ManifestIssue]

    public init(issues: [ManifestIssue]) { self.issues = issues }

    public var description: String {
        let noun = issues.count == 1 ? "problem" : "problems"
        return "manifest has \(issues.count) \(noun):\n" + issues.map { "  " + $0.description }.joined(separator: "\n")
    }
}
