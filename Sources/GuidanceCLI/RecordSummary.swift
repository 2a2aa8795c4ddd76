import Foundation
import Sweep

/// JSON for records, as the store writes them: sorted keys, non-finite numbers as "nan"/"inf" strings (a run that
/// diverged at its first step has no finite loss to report).
enum RecordJSON {
    static func encode(_ record: JobRecord) throws -> Data {
        try JSONCoding.makeEncoder().encode(record)
    }
}

/// The few lines `guidance run` prints at the end.
enum RecordSummary {
    static func text(_ record: JobRecord, checkpoint: String?) -> String {
        let spec = record.spec
        var lines: [String] = []
        var title = "\(spec.target.displayName) on \(spec.task.name), \(spec.condition.rawValue)"
        if let guide = spec.guide { title += " by \(guide.displayName) (\(spec.guideState?.rawValue ?? ""))" }
        lines.append(title + ", seed \(spec.seed)")
        switch record.status {
        case .ok: lines.append("status    ok")
        case .diverged(let step, let loss): lines.append("status    diverged at step \(step) (last finite loss \(loss))")
        case .failed(let error, _): lines.append("status    failed: \(error)")
        }
        for key in record.metrics.keys.sorted() {
            lines.append(String(format: "%-22@ %.4f", key as NSString, record.metrics[key]!))
        }
        if !record.mapping.isEmpty {
            lines.append("mapping   " + record.mapping.map { "\($0.guide)→\($0.target)" }.joined(separator: ", "))
        }
        lines.append(String(format: "time      %.1f s, %.1f steps/s on %@", record.wallSeconds, record.stepsPerSecond, record.device))
        if let checkpoint { lines.append("checkpoint \(checkpoint)") }
        return lines.joined(separator: "\n")
    }
}
