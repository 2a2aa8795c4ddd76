import ArgumentParser
import Foundation
import Logging
import Sweep

/// `guidance-bench coordinator`: how fast the coordinator dispatches, how long a loopback round trip takes,
/// and what a large grid costs at start-up (time and memory). A benchmark, not a test: it prints numbers.
struct CoordinatorBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Benchmark the coordinator: dispatch throughput, round trip, start-up on a large grid.",
        discussion: """
        Dispatch runs the real coordinator service (journal and results fsync'd as in production) against
        in-process worker threads, each with its own DEALER socket, that answer every JOB at once with a
        prepared RESULT. Build with -c release; scripts/bench-coordinator does that and keeps the JSON.
        """)

    @Option(help: "Parts to run, comma-separated: startup, roundtrip, dispatch, fsync, fleet (many workers holding leases; not in the default).")
    var parts: String = "startup,fsync,roundtrip,dispatch"
    @Option(help: "Worker threads per dispatch configuration, comma-separated.")
    var workers: String = "1,8,64"
    @Option(help: "Slots (jobs in flight) per worker, comma-separated.")
    var slots: String = "1,8"
    @Option(help: "No-op jobs per dispatch run (at most --jobs-per-slot × workers × slots).")
    var jobs: Int = 20_000
    @Option(name: .customLong("jobs-per-slot"), help: "Caps a dispatch run's jobs at this many per slot, so that runs with few slots (bound by fsync latency) stay short.")
    var jobsPerSlot: Int = 1_000
    @Option(help: "Runs per dispatch configuration and start-up measurement.")
    var repeats: Int = 3
    @Option(name: .customLong("round-trips"), help: "Measured round trips per variant (after 1000 warm-up).")
    var roundTrips: Int = 20_000
    @Option(name: .customLong("grid-jobs"), help: "Jobs in the start-up grid (rounded up to a multiple of 20).")
    var gridJobs: Int = 100_000
    @Option(name: .customLong("fleet-workers"), help: "Simulated workers of the fleet part (one slot each, heartbeating every second).")
    var fleetWorkers: Int = 1_000
    @Option(name: .customLong("fleet-jobs-per-worker"), help: "Jobs per simulated worker in the fleet part.")
    var fleetJobsPerWorker: Int = 3
    @Option(name: .customLong("fleet-hold"), help: "Seconds each fleet job holds its lease (heartbeating) before its RESULT.")
    var fleetHold: Double = 5
    @Option(help: "Where results directories are made (default: the temporary directory); use the disk real results live on.")
    var directory: String?
    @Option(name: .customLong("coordinator-log-level"), help: "The coordinator's log level during dispatch (its log goes to a file, as in `guidance sweep`).")
    var coordinatorLogLevel: String = "info"
    @Option(name: .customLong("json-output"), help: "Also write the results as JSON to this file.")
    var jsonOutput: String?
    @Flag(help: "Keep the results directories.")
    var keep = false

    func validate() throws {
        let known: Set<String> = ["startup", "roundtrip", "dispatch", "fsync", "fleet"]
        for part in list(parts) where !known.contains(part) {
            throw ValidationError("--parts: unknown part \(part); use \(known.sorted().joined(separator: ", "))")
        }
        guard numbers(workers)?.allSatisfy({ $0 >= 1 }) == true else { throw ValidationError("--workers: positive integers, e.g. 1,8,64") }
        guard numbers(slots)?.allSatisfy({ $0 >= 1 }) == true else { throw ValidationError("--slots: positive integers, e.g. 1,8") }
        guard fleetWorkers >= 1, fleetJobsPerWorker >= 1, fleetHold >= 0 else {
            throw ValidationError("--fleet-workers and --fleet-jobs-per-worker must be positive, --fleet-hold not negative")
        }
        guard jobs >= 1, jobsPerSlot >= 1, repeats >= 1, roundTrips >= 1, gridJobs >= 1 else {
            throw ValidationError("--jobs, --repeats, --round-trips and --grid-jobs must be positive")
        }
        guard Logger.Level(rawValue: coordinatorLogLevel) != nil else {
            throw ValidationError("--coordinator-log-level \(coordinatorLogLevel): use trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() throws {
        let chosen = Set(list(parts))
        let base = directory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("guidance-bench-coordinator-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { if !keep && directory == nil { try? FileManager.default.removeItem(at: base) } }
        var report = CoordinatorBenchReport(
            machine: CoordinatorBenchReport.machine(),
            settings: ["parts": parts, "workers": workers, "slots": slots, "jobs": String(jobs), "jobs_per_slot": String(jobsPerSlot), "repeats": String(repeats),
                       "round_trips": String(roundTrips), "grid_jobs": String(gridJobs), "directory": base.path,
                       "fleet_workers": String(fleetWorkers), "fleet_jobs_per_worker": String(fleetJobsPerWorker), "fleet_hold": String(fleetHold),
                       "coordinator_log_level": coordinatorLogLevel,
                       "worker": "in-process threads, one DEALER each, answering JOB with a prepared RESULT at once"])
        func progress(_ text: String) { FileHandle.standardError.write(Data("bench-coordinator: \(text)\n".utf8)) }

        // First, while the process is fresh, so that its resident memory is the grid's.
        if chosen.contains("startup") {
            let startup = CoordinatorBenchStartup(base: base, keep: keep)
            for run in 1...repeats {
                progress("start-up, \(gridJobs) jobs, run \(run)/\(repeats)")
                report.startup.append(try startup.run(jobs: gridJobs))
            }
        }
        if chosen.contains("fsync") {
            progress("fsync probe")
            report.fsyncMicroseconds = try CoordinatorBenchFsync(directory: base, count: 300).run()
        }
        if chosen.contains("roundtrip") {
            let trips = CoordinatorBenchRoundTrip(count: roundTrips)
            for wire in [false, true] {
                progress("round trips\(wire ? " with Wire encode/decode" : "")")
                report.roundTrips.append(try trips.run(withWire: wire))
            }
        }
        if chosen.contains("dispatch") {
            var prepared: [Int: (yaml: String, plan: Sweep.Plan, records: [String: Data])] = [:]
            let bench = CoordinatorBenchDispatch(base: base, logLevel: Logger.Level(rawValue: coordinatorLogLevel) ?? .info, keep: keep)
            for w in numbers(workers) ?? [] {
                for s in numbers(slots) ?? [] {
                    let count = min(jobs, jobsPerSlot * w * s)
                    if prepared[count] == nil {
                        progress("preparing \(count) jobs")
                        prepared[count] = try CoordinatorBenchDispatch.prepare(jobs: count)
                    }
                    let grid = prepared[count]!
                    for run in 1...repeats {
                        progress("dispatch \(w) workers × \(s) slots, run \(run)/\(repeats)")
                        let sample = try bench.run(yaml: grid.yaml, plan: grid.plan, records: grid.records, workers: w, slots: s)
                        progress(String(format: "  %.0f jobs/s, coordinator %.1f µs CPU/job", sample.jobsPerSecond, sample.coordinatorCPUMicrosecondsPerJob))
                        report.dispatchSamples.append(sample)
                    }
                }
            }
        }
        if chosen.contains("fleet") {
            let fleet = CoordinatorBenchFleet(base: base, keep: keep)
            for run in 1...repeats {
                progress("fleet: \(fleetWorkers) workers, \(fleetWorkers * fleetJobsPerWorker) jobs of \(fleetHold) s, run \(run)/\(repeats)")
                let result = try fleet.run(workers: fleetWorkers, jobs: fleetWorkers * fleetJobsPerWorker, holdSeconds: fleetHold)
                progress(String(format: "  %.1f µs coordinator CPU per heartbeat, %d leases expired", result.coordinatorCPUMicrosecondsPerHeartbeat, result.expiredLeases))
                report.fleet.append(result)
            }
        }
        report.machine.loadAfter = CoordinatorBenchProbe.loadAverage()
        report.summarize()
        if let jsonOutput {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            let url = URL(fileURLWithPath: jsonOutput)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(report).write(to: url)
        }
        print(report.text, terminator: "")
    }

    private func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func numbers(_ text: String) -> [Int]? {
        let values = list(text).map { Int($0) }
        return values.contains(nil) || values.isEmpty ? nil : values.compactMap { $0 }
    }
}
