import Config

/// Why a matrix or report cannot be made, with what is available instead.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path does not exist or is not a directory.
    case notADirectory(path: String)
    /// The directory has no results.jsonl; `contents` lists what it does hold.
    case notAResultsDirectory(path: String, contents: [String])
    /// results.jsonl holds no record yet.
    case noRecords(path: String)
    /// A line of results.jsonl before the last does not decode.
    case corruptLine(file: String, line: Int, detail: String)
    /// Records that are not jobs of the stored manifest.
    case foreignRecords(count: Int, manifest: String, examples: [String])
    /// No task with this name; `available` lists the tasks.
    case unknownTask(String, available: [String])
    /// No record of the task has this metric.
    case unknownMetric(String, task: String, available: [String])
    /// The selection matches no runs; `available` lists the (condition, guide state) pairs that have some.
    case noRuns(selection: String, available: [String])
    /// A renderer that draws one matrix was given several.
    case needsOneMatrix(format: String, matrices: [String])

    public var description: String {
        switch self {
        case .notADirectory(let path):
            return "\(path): no such directory (give the results directory a sweep wrote, e.g. results/my-sweep)"
        case .notAResultsDirectory(let path, let contents):
            let listing = contents.isEmpty ? "it is empty" : "it holds: " + contents.prefix(12).joined(separator: ", ")
            return "\(path) is not a results directory: no results.jsonl (\(listing)); give the results directory of a sweep (the one holding results.jsonl)"
        case .noRecords(let path):
            return "\(path)/results.jsonl holds no records yet: no job has finished; try again when some have"
        case .corruptLine(let file, let line, let detail):
            return "\(file):\(line): not a job record (\(detail)); the file was edited or damaged — restore it from a backup"
        case .foreignRecords(let count, let manifest, let examples):
            return "results.jsonl holds \(count) record(s) that are not jobs of \(manifest) (e.g. \(examples.joined(separator: "; "))): the directory mixes runs of different manifests — move them to their own directory, or pass --ignore-manifest to report every record"
        case .unknownTask(let name, let available):
            return "no task \"\(name)\" in these results\(Self.hint(name, available)); available: \(available.joined(separator: ", "))"
        case .unknownMetric(let name, let task, let available):
            return "no record of task \(task) has the metric \"\(name)\"\(Self.hint(name, available)); available: \(available.joined(separator: ", "))"
        case .noRuns(let selection, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "no runs for \(selection); conditions with runs: \(list)"
        case .needsOneMatrix(let format, let matrices):
            return "\(format) draws one matrix but the selection gives \(matrices.count): \(matrices.prefix(8).joined(separator: "; ")) — narrow it with --task, --metric, --condition and --guide-state"
        }
    }

    private static func hint(_ word: String, _ candidates: [String]) -> String {
        Suggestion.parenthesized(for: word, in: candidates)
    }
}
