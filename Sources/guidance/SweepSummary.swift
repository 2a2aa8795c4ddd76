import Foundation
import Sweep

/// What `guidance sweep` prints when the sweep ends: outcome counts, failed jobs with their errors, and
/// where the files are. `guidabilityMatrix(records:plan:)` is the hook where the report step will print
/// the guidability matrix.
enum SweepSummary {
    static func text(records: [JobRecord], plan: Plan, results: URL, elapsed: Double) -> String {
        var byState: [String: Int] = [:]
        for record in records { byState[record.status.state, default: 0] += 1 }
        var lines = ["sweep summary: \(records.count)/\(plan.count) jobs recorded in \(StatusText.clock(elapsed))"]
        lines.append("  ok \(byState["ok"] ?? 0)  diverged \(byState["diverged"] ?? 0)  failed \(byState["failed"] ?? 0)")
        let failed = records.filter { $0.status.state == "failed" }
        for record in failed.prefix(10) {
            if case .failed(let error, _) = record.status {
                lines.append("  failed \(record.id.short) \(record.spec.summary): \(error.prefix(160))")
            }
        }
        if failed.count > 10 { lines.append("  … \(failed.count - 10) more failed jobs (see results.csv)") }
        if let matrix = guidabilityMatrix(records: records, plan: plan) { lines.append(matrix) }
        lines.append("results: \(results.path)/results.jsonl, results.csv, journal.jsonl, logs/")
        return lines.joined(separator: "\n")
    }

    /// The guidability matrix section; nil until the report step provides it.
    static func guidabilityMatrix(records: [JobRecord], plan: Plan) -> String? { nil }
}
