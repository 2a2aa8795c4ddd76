import Foundation
import Sweep

/// The facts at the top of a report: what ran, where, how long, and what went wrong.
public struct SweepSummary: Sendable {
    public struct Problem: Hashable, Sendable {
        /// Short job id.
        public var job: String
        public var summary: String
        /// The error, or where the run diverged.
        public var detail: String
    }

    public var name: String?
    public var manifestHash: String?
    /// Jobs the manifest plans, when it is known (a running sweep has fewer records).
    public var planned: Int?
    public var records: Int
    public var ok: Int
    public var diverged: Int
    public var failed: Int
    /// Distinct versions seen: package, libtorch, protocol.
    public var packageVersions: [String]
    public var libtorchVersions: [String]
    public var protocolVersions: [Int]
    /// Hosts with the number of jobs each ran, most first.
    public var hosts: [(host: String, jobs: Int)]
    public var devices: [String]
    /// Distinct engines the jobs ran on, "host: OpenBLAS 0.3.21 Cooperlake, 2 threads, CPU" (records with an
    /// `environment` only), so a slow machine in a cluster shows.
    public var engines: [String]
    /// Sum of the jobs' wall-clock seconds (compute time).
    public var computeSeconds: Double
    /// Seconds from the first job's start to the last one's finish.
    public var elapsedSeconds: Double
    public var failures: [Problem]
    public var divergences: [Problem]

    public init(_ results: SweepResults) {
        let records = results.records
        name = results.manifest?.name
        manifestHash = results.manifestHash
        planned = results.manifest.map { Plan($0).jobs.count }
        self.records = records.count
        ok = records.filter { $0.status == .ok }.count
        var failures: [Problem] = [], divergences: [Problem] = []
        for record in records {
            switch record.status {
            case .ok: break
            case .diverged(let step, let loss):
                divergences.append(Problem(job: record.id.short, summary: record.spec.summary,
                                           detail: "diverged at step \(step) (last finite loss \(SVGLineChart.tick(loss)))"))
            case .failed(let error, _):
                failures.append(Problem(job: record.id.short, summary: record.spec.summary, detail: error))
            }
        }
        self.failures = failures
        self.divergences = divergences
        diverged = divergences.count
        failed = failures.count
        packageVersions = Set(records.map(\.versions.package)).sorted()
        libtorchVersions = Set(records.map(\.versions.libtorch)).filter { !$0.isEmpty }.sorted()
        protocolVersions = Set(records.map(\.versions.protocol)).sorted()
        var byHost: [String: Int] = [:]
        for record in records { byHost[record.worker.host, default: 0] += 1 }
        hosts = byHost.map { ($0.key, $0.value) }.sorted { ($1.jobs, $0.host) < ($0.jobs, $1.host) }
        devices = Set(records.map(\.device)).sorted()
        engines = Set(records.compactMap { record in record.environment.map { "\(record.worker.host): \($0.summary)" } }).sorted()
        computeSeconds = records.map(\.wallSeconds).reduce(0, +)
        let start = records.map(\.startedAt).min(), end = records.map(\.finishedAt).max()
        elapsedSeconds = start.flatMap { s in end.map { $0.date.timeIntervalSince(s.date) } } ?? 0
    }

    /// `3 h 12 min`, `4 min 5 s`, `12.3 s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return "\(total / 60) min \(total % 60) s" }
        return "\(total / 3600) h \(total % 3600 / 60) min"
    }
}
