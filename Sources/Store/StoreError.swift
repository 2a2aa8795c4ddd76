public import Sweep

/// Why the results directory cannot be used, with what to do about it.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The directory or a file in it cannot be created or written.
    case unwritable(path: String, reason: String)
    /// A line before the last of a JSONL file does not decode (not a torn write: real corruption).
    case corruptLine(file: String, line: Int, detail: String)
    /// A second record for a job that already has one.
    case duplicateRecord(JobID)
    /// The new manifest removes or changes cells of the run already in the directory.
    case manifestChanged(missing: Int, examples: [String])
    /// Defaults the sweep relied on changed since it started (`model fcn.depth: 8 → 10` lines).
    case defaultsChanged([String])
    /// The stored manifest cannot be read back (so compatibility cannot be checked).
    case storedManifestUnreadable(path: String, detail: String)
    /// No artifact with this hash.
    case artifactMissing(String)
    /// The artifact's bytes do not hash to its name.
    case artifactCorrupt(expected: String, actual: String)
    /// Not a SHA-256 hex string.
    case invalidArtifactHash(String)
    /// An I/O error on a file.
    case io(path: String, reason: String)
    /// Another coordinator holds the directory's lock (`holder`: the pid, host and start it wrote, when readable).
    case inUse(path: String, holder: String?)

    public var description: String {
        switch self {
        case .inUse(let path, let holder):
            return "the results directory \(path) is in use by another coordinator\(holder.map { " (\($0))" } ?? ""): wait for it to finish (or stop it), or pass another --results directory"
        case .unwritable(let path, let reason):
            return "cannot write the results directory \(path): \(reason) (choose a directory you can write, or fix its permissions)"
        case .corruptLine(let file, let line, let detail):
            return "\(file):\(line): corrupt line that is not the last one (\(detail)); the file was edited or damaged — restore it from a backup or start a new results directory"
        case .duplicateRecord(let id):
            return "job \(id) already has a record; each job is recorded exactly once"
        case .manifestChanged(let missing, let examples):
            return "the manifest changes \(missing) job(s) already in this results directory (e.g. \(examples.joined(separator: "; "))); a manifest may only add cells to an existing run — undo the change or use a new results directory"
        case .defaultsChanged(let changes):
            return "defaults changed since this sweep started (\(changes.joined(separator: "; "))): jobs that leave these "
                + "fields out would now compute something else than their stored records. Write the old values in the "
                + "manifest to keep the stored results, or pass --rerun-changed-defaults to run those jobs again under new ids"
        case .storedManifestUnreadable(let path, let detail):
            return "cannot read back the stored manifest \(path) to check the new one against it: \(detail) (use a new results directory)"
        case .artifactMissing(let hash):
            return "no artifact \(hash) in the store"
        case .artifactCorrupt(let expected, let actual):
            return "artifact \(expected) is corrupt: its bytes hash to \(actual) (delete the file; the job that produced it must run again)"
        case .invalidArtifactHash(let text):
            return "\"\(text)\" is not a SHA-256 hex digest (64 lower-case hex characters)"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
