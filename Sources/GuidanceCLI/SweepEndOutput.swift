import CoordinatorCommands
import Foundation
import Report
import Sweep

/// What `guidance sweep` prints when the sweep ends: outcome counts, failed jobs with their errors, and
/// where the files are; then, for a finished sweep, `matrixAndReport` prints the guidability matrices and writes
/// the HTML report.
enum SweepEndOutput {
    /// `worstCase`: with adaptive seeds, the most jobs the sweep could have run (`plan` is then the initial one).
    static func text(records: [JobRecord], plan: Plan, worstCase: Int? = nil, results: URL, elapsed: Double) -> String {
        var byState: [String: Int] = [:]
        for record in records { byState[record.status.state, default: 0] += 1 }
        let planned = worstCase.map { "\(records.count) jobs (\(plan.count) planned at start, adaptive seeds: at most \($0))" }
            ?? "\(records.count)/\(plan.count) jobs"
        var lines = ["sweep summary: \(planned) recorded in \(StatusText.clock(elapsed))"]
        lines.append("  ok \(byState["ok"] ?? 0)  diverged \(byState["diverged"] ?? 0)  failed \(byState["failed"] ?? 0)")
        let failed = records.filter { $0.status.state == "failed" }
        for record in failed.prefix(10) {
            if case .failed(let error, _) = record.status {
                lines.append("  failed \(record.id.short) \(record.spec.summary): \(error.prefix(160))")
            }
        }
        if failed.count > 10 { lines.append("  … \(failed.count - 10) more failed jobs (see results.csv)") }
        lines.append("results: \(results.path)/results.jsonl, results.csv, journal.jsonl, logs/")
        return lines.joined(separator: "\n")
    }

    /// The end of a finished sweep: the architecture similarity at initialisation of every guided pair (saved as
    /// `similarity.csv`), the guidability matrices of each task's primary metric in the terminal, and the HTML
    /// report written to `DIR/report.html`.
    static func matrixAndReport(records: [JobRecord], results directory: URL, color: Bool) throws -> String {
        try SimilarityFile.write(InitialSimilarity.compute(records: records), to: directory)
        let results = try SweepResults.load(directory: directory, checkManifest: true)
        let builder = MatrixBuilder(index: RecordIndex(records: results.records, manifest: results.manifest))
        var text = ""
        if let matrices = try? builder.matrices(for: MatrixQuery()), !matrices.isEmpty {
            let width = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
            text = TableRenderer(width: max(40, width), color: color).render(matrices)
        }
        let html = HTMLReport(results: results, similarities: SimilarityFile.load(from: directory), generatedAt: .now()).render()
        let report = directory.appendingPathComponent("report.html")
        try html.write(to: report, atomically: true, encoding: .utf8)
        return text + "report: \(report.path)"
    }
}
