import Coordinator
import CoordinatorCommands
import Foundation
import Guidance
import Logging
import Sweep
import Transport
import Wire

/// Dispatch throughput of the real `CoordinatorService` (journal and results durable, as in production)
/// with `CoordinatorBenchWorker` threads on loopback that answer every JOB at once.
struct CoordinatorBenchDispatch {
    /// One run: `workers` × `slots` jobs in flight at most, `jobs` no-op test jobs.
    struct Sample: Codable, Sendable {
        var workers: Int
        var slots: Int
        var jobs: Int
        /// From the first JOB any worker received to the first DISCONNECT (sent after the last record's commit).
        var seconds: Double
        var jobsPerSecond: Double
        /// CPU time of the coordinator's thread per job, µs (ZeroMQ's I/O thread not included).
        var coordinatorCPUMicrosecondsPerJob: Double
        /// CPU time of the whole process (coordinator, ZeroMQ I/O, bench workers) per job, µs.
        var processCPUMicrosecondsPerJob: Double
        /// Lines in journal.jsonl and results.jsonl afterwards (3 journal events and 1 record per job expected).
        var journalLines: Int
        var recordLines: Int
    }

    let base: URL
    let logLevel: Logger.Level
    let keep: Bool

    /// A manifest of `count` independent no-op test jobs (one baseline per seed).
    static func manifestYAML(jobs count: Int) -> String {
        """
        name: bench-dispatch
        seeds: \(count)
        tasks: [parity]
        models:
          fcn: {family: fcn, depth: 2, width: 16}
        targets: [fcn]
        conditions: [baseline]
        test: {sleep_ms: 0}
        """
    }

    /// The plan and the record JSON a worker answers for each of its jobs.
    static func prepare(jobs count: Int) throws -> (yaml: String, plan: Plan, records: [String: Data]) {
        let yaml = manifestYAML(jobs: count)
        let plan = Plan(try Manifest.decode(yaml: yaml, file: "bench-dispatch.yaml", validators: [RegistrySpecValidator()]))
        let encoder = JSONCoding.makeEncoder()
        let versions = Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version))
        let now = Timestamp.now()
        var records: [String: Data] = [:]
        records.reserveCapacity(plan.count)
        for job in plan.jobs {
            let record = JobRecord(id: job.id, spec: job.spec, status: .ok, metrics: ["test_value": Double(job.spec.seed)],
                                   worker: WorkerRef(id: "bench", host: "localhost"), versions: versions,
                                   device: job.spec.training.device, startedAt: now, finishedAt: now)
            records[job.id.rawValue] = try encoder.encode(JobReport(record))  // a RESULT carries no spec
        }
        return (yaml, plan, records)
    }

    func run(yaml: String, plan: Plan, records: [String: Data], workers: Int, slots: Int) throws -> Sample {
        let directory = base.appendingPathComponent("dispatch-\(workers)x\(slots)-\(UUID().uuidString.prefix(8))")
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let sink = try LogFile(url: directory.appendingPathComponent("logs/coordinator.log"))
        let level = logLevel
        let logger = Logger(label: "guidance.coordinator") { FileLogHandler(label: $0, sink: sink, logLevel: level) }
        let options = CoordinatorOptions(
            bind: "tcp://127.0.0.1:*",
            scheduling: SchedulingPolicy(versions: Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version))))
        let coordinator = CoordinatorBenchThread.start(
            plan: plan, yaml: yaml, name: "bench-dispatch", directory: directory, options: options, logger: logger)
        guard let endpoint = try coordinator.waitForEndpoint() else { throw CLIError("the coordinator ended before listening") }

        let context = try ZMQContext()
        defer { context.close() }
        let cpuBefore = CoordinatorBenchProbe.processCPUSeconds()
        let pool = (0..<workers).map {
            CoordinatorBenchWorker(id: "bench-\($0)", endpoint: endpoint, slots: slots, context: context, recordJSON: records)
        }
        for worker in pool { worker.start() }
        let tallies = pool.map { $0.wait() }
        let cpuAfter = CoordinatorBenchProbe.processCPUSeconds()
        let outcome = try coordinator.result()
        if let error = tallies.compactMap(\.error).first { throw CLIError("bench worker failed: \(error)") }
        guard outcome.summary.finished else { throw CLIError("the coordinator stopped before every job had a record") }
        guard let first = tallies.compactMap(\.firstJob).min(), let end = tallies.compactMap(\.disconnect).min() else {
            throw CLIError("no JOB or no DISCONNECT reached the bench workers")
        }
        let seconds = (end - first).seconds
        let jobs = plan.count
        return Sample(
            workers: workers, slots: slots, jobs: jobs, seconds: seconds, jobsPerSecond: Double(jobs) / seconds,
            coordinatorCPUMicrosecondsPerJob: outcome.cpuSecondsAfterListening / Double(jobs) * 1e6,
            processCPUMicrosecondsPerJob: (cpuAfter - cpuBefore) / Double(jobs) * 1e6,
            journalLines: Self.lineCount(directory.appendingPathComponent("journal.jsonl")),
            recordLines: Self.lineCount(directory.appendingPathComponent("results.jsonl")))
    }

    static func lineCount(_ url: URL) -> Int {
        guard let data = FileManager.default.contents(atPath: url.path) else { return 0 }
        return data.reduce(0) { $1 == 0x0a ? $0 + 1 : $0 }
    }
}
