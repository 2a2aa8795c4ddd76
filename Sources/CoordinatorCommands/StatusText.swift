import Foundation
import Sweep
public import Wire

/// Human-readable lines for a coordinator status: job counts with ETA, then one line per worker and job.
public enum StatusText {
    /// At most `maxJobLines` worker/job lines follow the counts (then a "… N more" line).
    public static func lines(_ status: StatusReply, width: Int = 100, maxJobLines: Int = .max) -> [String] {
        let jobs = status.jobs
        let total = status.total
        let done = jobs["done"] ?? 0, failed = jobs["failed"] ?? 0
        var head = "\(done + failed)/\(total) jobs  done \(done)  running \(jobs["running"] ?? 0)  queued \(jobs["queued"] ?? 0)"
        if let waiting = jobs["waiting"], waiting > 0 { head += "  waiting \(waiting)" }
        head += "  failed \(failed)"
        if let elapsed = status.elapsedSeconds { head += "  elapsed \(clock(elapsed))" }
        if let eta = status.etaSeconds, done + failed < total { head += "  ETA \(clock(eta))" }
        if status.draining == true { head += "  (draining)" }
        var lines = [head]
        for worker in status.workers {
            if worker.leases.isEmpty {
                lines.append("  \(worker.worker)  idle")
                continue
            }
            for lease in worker.leases {
                var line = "  \(worker.worker)  \(lease.job?.short ?? lease.lease.rawValue)"
                if let total = lease.totalSteps { line += "  step \(lease.step)/\(total)" } else { line += "  step \(lease.step)" }
                if let loss = lease.trainLoss, loss.isFinite { line += String(format: "  loss %.4f", loss) }
                if let summary = lease.summary { line += "  " + summary }
                lines.append(String(line.prefix(width)))
            }
        }
        if lines.count - 1 > maxJobLines {
            let hidden = lines.count - 1 - maxJobLines
            lines = Array(lines.prefix(maxJobLines + 1)) + ["  … \(hidden) more (guidance status lists all)"]
        }
        // The guide caches of the workers that used one: a line each, or their total in a bounded view of many.
        let caches = status.workers.compactMap { worker in worker.guideCache.flatMap { $0.wasUsed ? (worker.worker, $0) : nil } }
        if caches.count <= 3 || maxJobLines == .max {
            for (worker, cache) in caches { lines.append(String("  \(worker)  \(cache.summary)".prefix(width))) }
        } else {
            lines.append(String("  \(caches.count) workers' \(GuideCacheStatistics.total(caches.map(\.1)).summary)".prefix(width)))
        }
        // One line per distinct engine (BLAS, kernels, threads, CPU) with its workers, so a slow machine shows.
        var byEngine: [String: [String]] = [:]
        for worker in status.workers { if let engine = worker.engine { byEngine[engine.summary, default: []].append(worker.worker) } }
        for (engine, workers) in byEngine.sorted(by: { $0.key < $1.key }) {
            let names = workers.count <= 3 ? workers.joined(separator: ", ") : "\(workers.prefix(3).joined(separator: ", ")) and \(workers.count - 3) more"
            lines.append(String("  engine \(engine): \(names)".prefix(width)))
        }
        return lines
    }

    /// `1:05:09` or `5:09`.
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
