import Coordinator
import CoordinatorCommands
import Foundation
import Guidance
import Logging
import Sweep
import Transport
import Wire

/// Coordinator start-up on a large grid: YAML decoding and validation, planning, then the service's own
/// start (results directory, state, bind, and the durable journal of every queued job), measured until the
/// service answers a STATUS request — which it does only after that first journal commit. Then the same
/// again on the now existing directory (a restart: the journal and results are replayed).
struct CoordinatorBenchStartup {
    struct Result: Codable, Sendable {
        var jobs: Int
        /// Decoding and validating the manifest YAML, s.
        var decodeSeconds: Double
        /// `Plan(manifest)`: expansion and content-hashed ids, s.
        var planSeconds: Double
        /// Service start to listening (store created, manifest stored, state built, socket bound), s.
        var openSeconds: Double
        /// Service start to the first STATUS_REPLY (every job's `queued` event journaled and fsync'd), s.
        var serviceReadySeconds: Double
        /// decode + plan + serviceReady: the goal's "planned and journaled", s.
        var totalSeconds: Double
        /// Restart on the same directory: service start to the first STATUS_REPLY, s.
        var restartReadySeconds: Double
        /// Once ready (first start): one STATUS request to its STATUS_REPLY, median of `statusRequests`, s — what
        /// `guidance status` waits for on such a sweep, less its own start. Nil in records from before it was measured.
        var statusSeconds: Double?
        /// Resident memory (MiB) at process start of this part, after planning, once ready, and the peak.
        var rssBeforeMebibytes: Double
        var rssAfterPlanMebibytes: Double
        var rssReadyMebibytes: Double
        var rssPeakMebibytes: Double
        /// Size of journal.jsonl after the first start, bytes.
        var journalBytes: Int
    }

    let base: URL
    let keep: Bool

    /// A guided grid of `seeds` × 20 jobs: 4 targets (baselines, two of them also the guides' training
    /// jobs) and 2 guides × 4 targets × {untrained, trained} guided jobs (the trained ones depend on the
    /// guide's training job).
    static func manifestYAML(seeds: Int) -> String {
        """
        name: bench-startup
        seeds: \(seeds)
        tasks: [parity]
        models:
          a: {family: fcn, depth: 2, width: 16}
          b: {family: fcn, depth: 3, width: 16}
          c: {family: fcn, depth: 2, width: 32}
          d: {family: fcn, depth: 3, width: 32}
        targets: [a, b, c, d]
        guides: [a, b]
        conditions: [baseline, guided]
        guide_states: [untrained, trained]
        test: {sleep_ms: 0}
        """
    }

    func run(jobs requested: Int) throws -> Result {
        let rssBefore = CoordinatorBenchProbe.residentMiB()?.now ?? .nan
        let yaml = Self.manifestYAML(seeds: max(1, (requested + 19) / 20))
        let clock = ContinuousClock()
        let t0 = clock.now
        let manifest = try Manifest.decode(yaml: yaml, file: "bench-startup.yaml", validators: [RegistrySpecValidator()])
        let t1 = clock.now
        let plan = Plan(manifest)
        let t2 = clock.now
        let rssAfterPlan = CoordinatorBenchProbe.residentMiB()?.now ?? .nan
        let directory = base.appendingPathComponent("startup-\(UUID().uuidString.prefix(8))")
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }

        let first = try startService(plan: plan, yaml: yaml, directory: directory, statusRequests: Self.statusRequests)
        let rssReady = first.rss
        let journalBytes = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("journal.jsonl").path)[.size] as? Int) ?? 0
        let second = try startService(plan: plan, yaml: yaml, directory: directory, statusRequests: 0)
        let decode = (t1 - t0).seconds, planning = (t2 - t1).seconds
        return Result(
            jobs: plan.count, decodeSeconds: decode, planSeconds: planning, openSeconds: first.open,
            serviceReadySeconds: first.ready, totalSeconds: decode + planning + first.ready,
            restartReadySeconds: second.ready, statusSeconds: first.status, rssBeforeMebibytes: rssBefore, rssAfterPlanMebibytes: rssAfterPlan, rssReadyMebibytes: rssReady,
            rssPeakMebibytes: CoordinatorBenchProbe.residentMiB()?.peak ?? .nan, journalBytes: journalBytes)
    }

    /// STATUS round trips timed once the service is ready.
    static let statusRequests = 9

    /// Starts a service, times it to listening and to its first STATUS_REPLY, then `statusRequests` more STATUS round
    /// trips (their median; nil when none), then drains it.
    private func startService(plan: Plan, yaml: String, directory: URL,
                              statusRequests: Int) throws -> (open: Double, ready: Double, rss: Double, status: Double?) {
        var logger = Logger(label: "guidance.coordinator")
        logger.logLevel = .warning
        let clock = ContinuousClock()
        let started = clock.now
        let coordinator = CoordinatorBenchThread.start(
            plan: plan, yaml: yaml, name: "bench-startup", directory: directory,
            options: CoordinatorOptions(bind: "tcp://127.0.0.1:*", drainTimeout: .zero), logger: logger)
        guard let endpoint = try coordinator.waitForEndpoint(), let listening = coordinator.listeningAt else {
            throw CLIError("the coordinator ended before listening")
        }
        let context = try ZMQContext()
        defer { context.close() }
        let client = try ZMQSocket(context, kind: .dealer)
        defer { client.close() }
        try client.connect(endpoint)
        try client.send(Message.status(StatusRequest()).encode())
        var frames: [Data] = []
        guard try client.receive(into: &frames, timeout: .seconds(300)), case .statusReply(let reply) = try Message.decode(frames) else {
            throw CLIError("no STATUS_REPLY from the coordinator within 300 s")
        }
        let ready = clock.now
        let rss = CoordinatorBenchProbe.residentMiB()?.now ?? .nan
        let settled = (reply.jobs["queued"] ?? 0) + (reply.jobs["waiting"] ?? 0)
        guard settled == plan.count else { throw CLIError("STATUS_REPLY counts \(settled) queued or waiting jobs, expected \(plan.count)") }
        var statusTimes: [Double] = []
        for _ in 0..<statusRequests {
            let sent = clock.now
            try client.send(Message.status(StatusRequest()).encode())
            guard try client.receive(into: &frames, timeout: .seconds(60)), case .statusReply = try Message.decode(frames) else {
                throw CLIError("no STATUS_REPLY from the ready coordinator within 60 s")
            }
            statusTimes.append((clock.now - sent).seconds)
        }
        coordinator.control.requestDrain()
        _ = try coordinator.result()
        let status = statusTimes.isEmpty ? nil : CoordinatorBenchStats(statusTimes).median
        return ((listening - started).seconds, (ready - started).seconds, rss, status)
    }
}
