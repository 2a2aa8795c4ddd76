import Foundation

/// Everything `guidance-bench coordinator` measured, as written to JSON, and its readable table.
struct CoordinatorBenchReport: Codable, Sendable {
    struct Machine: Codable, Sendable {
        var cores: Int
        var cpu: String
        var kernel: String
        /// 1/5/15-minute load averages when the benchmark started and ended (other work on the machine).
        var loadBefore: [Double]
        var loadAfter: [Double]
        var date: String
    }

    /// One (workers, slots) configuration over its repeats.
    struct DispatchSummary: Codable, Sendable {
        var workers: Int
        var slots: Int
        var jobs: Int
        var jobsPerSecond: CoordinatorBenchStats
        /// Wall time per job (1 / throughput), µs.
        var wallMicrosecondsPerJob: CoordinatorBenchStats
        var coordinatorCPUMicrosecondsPerJob: CoordinatorBenchStats
        var processCPUMicrosecondsPerJob: CoordinatorBenchStats
    }

    struct Goal: Codable, Sendable {
        var name: String
        var target: String
        var measured: String
        var met: Bool
    }

    var machine: Machine
    var settings: [String: String]
    var fsyncMicroseconds: CoordinatorBenchStats?
    var startup: [CoordinatorBenchStartup.Result] = []
    var roundTrips: [CoordinatorBenchRoundTrip.Result] = []
    var dispatchSamples: [CoordinatorBenchDispatch.Sample] = []
    var dispatch: [DispatchSummary] = []
    var fleet: [CoordinatorBenchFleet.Result] = []
    var goals: [Goal] = []

    static func machine() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { String($0.split(separator: ":", maxSplits: 1).last ?? "").trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let kernel = ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Machine(cores: ProcessInfo.processInfo.activeProcessorCount, cpu: model, kernel: kernel,
                       loadBefore: CoordinatorBenchProbe.loadAverage(), loadAfter: [],
                       date: Date().formatted(.iso8601))
    }

    /// Groups the samples by configuration and judges the issue's goals.
    mutating func summarize() {
        var groups: [String: [CoordinatorBenchDispatch.Sample]] = [:]
        var order: [String] = []
        for sample in dispatchSamples {
            let key = "\(sample.workers)x\(sample.slots)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(sample)
        }
        dispatch = order.map { key in
            let samples = groups[key]!
            return DispatchSummary(
                workers: samples[0].workers, slots: samples[0].slots, jobs: samples[0].jobs,
                jobsPerSecond: CoordinatorBenchStats(samples.map(\.jobsPerSecond)),
                wallMicrosecondsPerJob: CoordinatorBenchStats(samples.map { 1e6 / $0.jobsPerSecond }),
                coordinatorCPUMicrosecondsPerJob: CoordinatorBenchStats(samples.map(\.coordinatorCPUMicrosecondsPerJob)),
                processCPUMicrosecondsPerJob: CoordinatorBenchStats(samples.map(\.processCPUMicrosecondsPerJob)))
        }
        goals = []
        if let best = dispatch.max(by: { $0.jobsPerSecond.median < $1.jobsPerSecond.median }) {
            goals.append(Goal(name: "dispatch throughput, journal durable", target: "≥ 20000 jobs/s",
                              measured: String(format: "%.0f jobs/s (median, %d workers × %d slots)", best.jobsPerSecond.median, best.workers, best.slots),
                              met: best.jobsPerSecond.median >= 20_000))
        }
        if let transport = roundTrips.first(where: { $0.variant == "transport" }) {
            goals.append(Goal(name: "ROUTER/DEALER round trip", target: "< 200 µs",
                              measured: String(format: "%.1f µs (median)", transport.microseconds.median),
                              met: transport.microseconds.median < 200))
        }
        if !fleet.isEmpty {
            let expired = fleet.map(\.expiredLeases).reduce(0, +)
            goals.append(Goal(name: "\(fleet[0].workers) workers heartbeating: no lease lost", target: "0 expired leases",
                              measured: "\(expired) expired in \(fleet.count) run(s)", met: expired == 0))
        }
        if !startup.isEmpty {
            let total = CoordinatorBenchStats(startup.map(\.totalSeconds))
            goals.append(Goal(name: "\(startup[0].jobs)-job grid planned and journaled", target: "< 10 s",
                              measured: String(format: "%.2f s (median)", total.median), met: total.median < 10))
        }
    }

    /// The readable table.
    var text: String {
        var out = "guidance bench-coordinator — \(machine.cores) cores (\(machine.cpu)), load \(Self.load(machine.loadBefore)) → \(Self.load(machine.loadAfter))\n"
        out += "numbers: median (min–max) over repeats\n"
        if let fsync = fsyncMicroseconds {
            out += "\nappend + fsync of a 200-byte line: \(fsync.text(0)) µs, p99 \(String(format: "%.0f", fsync.p99)) µs\n"
        }
        if !startup.isEmpty {
            out += "\nstart-up (\(startup[0].jobs) jobs):\n"
            func row(_ name: String, _ values: [Double], _ digits: Int = 2, _ unit: String = "s") {
                out += "  " + name.padding(toLength: 46, withPad: " ", startingAt: 0) + CoordinatorBenchStats(values).text(digits) + " " + unit + "\n"
            }
            row("decode + validate manifest", startup.map(\.decodeSeconds))
            row("plan (expand, hash ids)", startup.map(\.planSeconds))
            row("service: store, state, bind", startup.map(\.openSeconds))
            row("service: until queued jobs journaled (fsync)", startup.map(\.serviceReadySeconds))
            row("total: planned and journaled", startup.map(\.totalSeconds))
            row("restart on that directory (replay)", startup.map(\.restartReadySeconds))
            let status = startup.compactMap(\.statusSeconds).map { $0 * 1000 }
            if !status.isEmpty { row("STATUS round trip once ready (median of \(CoordinatorBenchStartup.statusRequests))", status, 1, "ms") }
            // Memory only from the first run: later runs in the same process start with the heap of earlier ones.
            let fresh = startup[0]
            out += "  resident memory (first run, fresh process): " + String(format: "%.0f MiB before, %.0f after planning, %.0f ready, peak %.0f\n",
                                                                           fresh.rssBeforeMebibytes, fresh.rssAfterPlanMebibytes, fresh.rssReadyMebibytes, fresh.rssPeakMebibytes)
        }
        if !roundTrips.isEmpty {
            out += "\nround trip DEALER → ROUTER → DEALER, loopback TCP:\n"
            for trip in roundTrips {
                let m = trip.microseconds
                out += "  " + trip.variant.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "median %.1f µs, p90 %.1f, p99 %.1f, mean %.1f (%d round trips)\n", m.median, m.p90, m.p99, m.mean, trip.roundTrips)
            }
        }
        if !dispatch.isEmpty {
            out += "\ndispatch, no-op jobs, journal and results fsync'd per loop turn:\n"
            out += "  workers × slots   jobs/s                   wall µs/job   coordinator CPU µs/job   process CPU µs/job\n"
            for d in dispatch {
                out += "  " + "\(d.workers) × \(d.slots)".padding(toLength: 18, withPad: " ", startingAt: 0)
                    + d.jobsPerSecond.text(0).padding(toLength: 25, withPad: " ", startingAt: 0)
                    + String(format: "%.1f", d.wallMicrosecondsPerJob.median).padding(toLength: 14, withPad: " ", startingAt: 0)
                    + d.coordinatorCPUMicrosecondsPerJob.text(1).padding(toLength: 25, withPad: " ", startingAt: 0)
                    + d.processCPUMicrosecondsPerJob.text(1) + "\n"
            }
        }
        if !fleet.isEmpty {
            out += "\nfleet: workers holding leases, one slot each, a HEARTBEAT per worker per second:\n"
            out += "  workers  jobs    hold s  run s    heartbeats  coordinator CPU µs/heartbeat  expired  renewed  jobs per worker\n"
            for f in fleet {
                out += "  " + String(f.workers).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(f.jobs).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%.1f", f.holdSeconds).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(format: "%.1f", f.seconds).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(f.heartbeats).padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%.1f", f.coordinatorCPUMicrosecondsPerHeartbeat).padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(f.expiredLeases).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(f.renewedLeases).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + "\(f.jobsPerWorker.text(0)), mean \(String(format: "%.2f", f.jobsPerWorker.mean))\n"
            }
        }
        if !goals.isEmpty {
            out += "\ngoals:\n"
            for goal in goals { out += "  [\(goal.met ? "met" : "NOT met")] \(goal.name): \(goal.measured); goal \(goal.target)\n" }
        }
        return out
    }

    private static func load(_ values: [Double]) -> String { values.map { String(format: "%.1f", $0) }.joined(separator: "/") }
}
