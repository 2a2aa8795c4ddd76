import Sweep

/// What a worker may say about a failure in a message to the coordinator. The coordinator (or someone holding
/// its key) chooses the data paths a job reads, so error texts about those files, which can quote their bytes
/// (a wrong magic number, an NPY header) or list a directory, stay in the worker's own log: the coordinator
/// gets a fixed sentence naming the task option instead. Every text is also cut to `maxCharacters`.
enum WireSafeText {
    /// Longest failure text sent, in characters.
    static let maxCharacters = 600

    /// `text` as it may be sent for a job of `spec` run by worker `worker`.
    static func failure(_ text: String, spec: JobSpec, worker: String) -> String {
        for (option, path) in DataRoots.dataPaths(of: spec) where !path.isEmpty && text.contains(path) {
            return "task \(spec.task.name) could not use the data named by its option \(option); the details (which may quote the file) are only in the log of worker \(worker)"
        }
        guard text.count > maxCharacters else { return text }
        return String(text.prefix(maxCharacters)) + "… (cut; the full text is in the log of worker \(worker))"
    }
}
