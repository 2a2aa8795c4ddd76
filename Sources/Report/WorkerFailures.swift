public import Foundation

/// Failed attempts by worker, from a results directory's `journal.jsonl`: for each worker id, how many of its
/// leases expired (no heartbeat: a dead, cut-off or non-working worker), how many attempts it reported failed
/// (retryable, so the job ran again), and how many jobs were recorded failed under its name. A job ending as
/// `failed` because one worker kept failing it, or a worker whose leases keep expiring, shows here.
public struct WorkerFailures: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var worker: String
        /// Leases that expired while this worker held them.
        public var expired: Int
        /// Attempts this worker reported failed that were run again.
        public var failedAttempts: Int
        /// Jobs recorded failed with this worker named (the last attempt was its).
        public var recordedFailed: Int

        public var total: Int { expired + failedAttempts + recordedFailed }
    }

    /// Workers with at least one failure, most failures first (then by id).
    public var rows: [Row]

    /// Reads `directory/journal.jsonl`; empty when it is missing. Lines that do not decode are skipped (the
    /// journal's own reader reports those).
    public static func load(directory: URL) -> WorkerFailures {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("journal.jsonl").path) else {
            return WorkerFailures(rows: [])
        }
        let decoder = JSONDecoder()
        var byWorker: [String: Row] = [:]
        for line in data.split(separator: 0x0a) {
            guard let event = try? decoder.decode(Event.self, from: Data(line)), let worker = event.worker else { continue }
            var row = byWorker[worker] ?? Row(worker: worker, expired: 0, failedAttempts: 0, recordedFailed: 0)
            switch event.event {
            case "requeued":
                if event.reason?.hasPrefix("lease expired") == true { row.expired += 1 } else { row.failedAttempts += 1 }
            case "failed":
                row.recordedFailed += 1
            default:
                continue
            }
            byWorker[worker] = row
        }
        return WorkerFailures(rows: byWorker.values.sorted { ($0.total, $1.worker) > ($1.total, $0.worker) })
    }

    /// The journal fields read here.
    private struct Event: Decodable {
        var event: String
        var worker: String?
        var reason: String?
    }
}
