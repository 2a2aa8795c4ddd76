import Config
import Coordinator
import CoordinatorCommands
import Foundation
import Logging
import Sweep
import Transport
import Wire

/// Many workers holding leases (issue 17): `workers` DEALER sockets (1,000 by default), multiplexed on a few
/// threads, each with one slot. A JOB is "run" for `holdSeconds` while its worker sends a HEARTBEAT naming the
/// lease every `heartbeatSeconds` (1 s, as real workers; each worker at its own phase), then answers RESULT.
/// Measured: the coordinator thread's CPU per heartbeat it received (an upper bound: all its CPU, dispatch and
/// records included, divided by the heartbeats), leases that expired anyway (journal `requeued` events; a worker
/// that heartbeats must never lose one), and how evenly the jobs were spread over the workers.
struct CoordinatorBenchFleet {
    struct Result: Codable, Sendable {
        var workers: Int
        var jobs: Int
        var holdSeconds: Double
        /// From the first JOB any worker received to the first DISCONNECT.
        var seconds: Double
        /// HEARTBEATs and RESULTs the fleet sent.
        var heartbeats: Int
        var results: Int
        var coordinatorCPUSeconds: Double
        /// Coordinator thread CPU / heartbeats received, µs (upper bound of a heartbeat's cost).
        var coordinatorCPUMicrosecondsPerHeartbeat: Double
        /// Journal events: leases that expired (and were queued again) and expired leases renewed by a heartbeat.
        var expiredLeases: Int
        var renewedLeases: Int
        /// Jobs per worker (an even spread is jobs / workers each).
        var jobsPerWorker: CoordinatorBenchStats
    }

    let base: URL
    let keep: Bool

    /// One run; `jobs` should be a multiple of `workers` for an even spread to be possible.
    func run(workers: Int, jobs: Int, holdSeconds: Double, threads: Int = 4) throws -> Result {
        let grid = try CoordinatorBenchDispatch.prepare(jobs: jobs)
        let directory = base.appendingPathComponent("fleet-\(workers)-\(UUID().uuidString.prefix(8))")
        defer { if !keep { try? FileManager.default.removeItem(at: directory) } }
        let sink = try LogFile(url: directory.appendingPathComponent("logs/coordinator.log"))
        let logger = Logger(label: "guidance.coordinator") { FileLogHandler(label: $0, sink: sink, logLevel: .info) }
        let versions = Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version))
        let options = CoordinatorOptions(bind: "tcp://127.0.0.1:*", scheduling: SchedulingPolicy(versions: versions))
        let coordinator = CoordinatorBenchThread.start(
            plan: grid.plan, yaml: grid.yaml, name: "bench-fleet", directory: directory, options: options, logger: logger)
        guard let endpoint = try coordinator.waitForEndpoint() else { throw CLIError("the coordinator ended before listening") }

        let context = try ZMQContext()
        defer { context.close() }
        let ids = (0..<workers).map { "fleet-\($0)" }
        let groups = stride(from: 0, to: workers, by: max(1, (workers + threads - 1) / threads)).map {
            Array(ids[$0..<min($0 + (workers + threads - 1) / threads, workers)])
        }
        let shards = groups.map {
            FleetShard(ids: $0, endpoint: endpoint, context: context, records: grid.records, hold: holdSeconds, versions: versions)
        }
        for shard in shards { shard.start() }
        let tallies = shards.map { $0.wait() }
        let outcome = try coordinator.result()
        if let error = tallies.compactMap(\.error).first { throw CLIError("fleet failed: \(error)") }
        guard outcome.summary.finished else { throw CLIError("the coordinator stopped before every job had a record") }
        guard let first = tallies.compactMap(\.firstJob).min(), let end = tallies.compactMap(\.disconnect).min() else {
            throw CLIError("no JOB or no DISCONNECT reached the fleet")
        }
        let journal = (try? String(contentsOf: directory.appendingPathComponent("journal.jsonl"), encoding: .utf8)) ?? ""
        let heartbeats = tallies.map(\.heartbeats).reduce(0, +)
        return Result(
            workers: workers, jobs: jobs, holdSeconds: holdSeconds, seconds: (end - first).seconds, heartbeats: heartbeats,
            results: tallies.map(\.results).reduce(0, +), coordinatorCPUSeconds: outcome.cpuSecondsAfterListening,
            coordinatorCPUMicrosecondsPerHeartbeat: outcome.cpuSecondsAfterListening / Double(max(heartbeats, 1)) * 1e6,
            expiredLeases: journal.components(separatedBy: #""event":"requeued""#).count - 1,
            renewedLeases: journal.components(separatedBy: #""event":"renewed""#).count - 1,
            jobsPerWorker: CoordinatorBenchStats(tallies.flatMap(\.jobsPerWorker).map(Double.init)))
    }
}

/// A thread that runs several simulated workers, one DEALER socket each (`CoordinatorBenchFleet`).
private final class FleetShard: @unchecked Sendable {
    struct Tally: Sendable {
        var heartbeats = 0
        var results = 0
        var jobsPerWorker: [Int] = []
        var firstJob: ContinuousClock.Instant?
        var disconnect: ContinuousClock.Instant?
        var error: String?
    }

    private struct Simulated {
        let id: String
        let socket: ZMQSocket
        let ready: [Data]
        /// Leases held, with their job ids and when they finish (one at a time unless a READY crossed a JOB).
        var held: [(lease: String, job: String, done: ContinuousClock.Instant)] = []
        var nextHeartbeat: ContinuousClock.Instant
        var jobs = 0
        var gone = false
    }

    let ids: [String]
    let endpoint: String
    let context: ZMQContext
    let records: [String: Data]
    let hold: Duration
    let versions: Versions
    private let lock = NSCondition()
    private var tally = Tally()
    private var done = false

    init(ids: [String], endpoint: String, context: ZMQContext, records: [String: Data], hold: Double, versions: Versions) {
        self.ids = ids
        self.endpoint = endpoint
        self.context = context
        self.records = records
        self.hold = .seconds(hold)
        self.versions = versions
    }

    func start() {
        let thread = Thread { [self] in
            var result = Tally()
            do { try loop(&result) } catch { result.error = "\(error)" }
            lock.lock()
            tally = result
            done = true
            lock.broadcast()
            lock.unlock()
        }
        thread.name = "bench fleet"
        thread.start()
    }

    func wait() -> Tally {
        lock.lock()
        defer { lock.unlock() }
        while !done { lock.wait() }
        return tally
    }

    private func loop(_ tally: inout Tally) throws {
        let clock = ContinuousClock()
        var workers: [Simulated] = []
        defer { for worker in workers { worker.socket.close() } }
        for id in ids {
            let socket = try ZMQSocket(context, kind: .dealer)
            try socket.set(.routingID(Data(id.utf8)), .linger(.seconds(1)), .sendHighWaterMark(messages: 0))
            try socket.connect(endpoint)
            let ready = try Message.ready(Ready(worker: id, host: "localhost", cores: 1, devices: ["cpu"], slots: 1,
                                                versions: versions)).encode()
            try socket.send(ready)
            // Each worker heartbeats at its own phase within the first second, as independent machines would.
            let phase = Duration.milliseconds(Int.random(in: 0..<1_000))
            workers.append(Simulated(id: id, socket: socket, ready: ready, nextHeartbeat: clock.now + phase))
        }
        let poller = ZMQPoller(workers.map(\.socket))
        let header = Data(WireProtocol.tag + [WireProtocol.version])
        let resultKind = Data(MessageKind.result.rawValue.utf8)
        var frames: [Data] = []
        let giveUp = clock.now + .seconds(900)
        while workers.contains(where: { !$0.gone }), clock.now < giveUp {
            try poller.poll(timeout: .milliseconds(10))
            for index in workers.indices where !workers[index].gone && poller.isReadable(at: index) {
                while try workers[index].socket.receive(into: &frames, timeout: .zero), frames.count >= 3 {
                    switch String(decoding: frames[1], as: UTF8.self) {
                    case MessageKind.job.rawValue:
                        if tally.firstJob == nil { tally.firstJob = clock.now }
                        let bytes = [UInt8](frames[2])
                        guard let id = ConfigValue(json: bytes, member: "id")?.stringValue,
                              let lease = ConfigValue(json: bytes, member: "lease")?.stringValue else {
                            throw CLIError("JOB without id or lease")
                        }
                        workers[index].held.append((lease, id, clock.now + hold))
                        workers[index].jobs += 1
                    case MessageKind.disconnect.rawValue:
                        if tally.disconnect == nil { tally.disconnect = clock.now }
                        workers[index].gone = true
                    case MessageKind.refused.rawValue:
                        try workers[index].socket.send(workers[index].ready)
                    default:
                        break
                    }
                    if workers[index].gone { break }
                }
            }
            let now = clock.now
            for index in workers.indices where !workers[index].gone {
                while let first = workers[index].held.first, first.done <= now {
                    workers[index].held.removeFirst()
                    guard let record = records[first.job] else { throw CLIError("JOB for unknown job \(first.job)") }
                    var body = Data("{\"lease\":\"".utf8)
                    body.append(contentsOf: first.lease.utf8)
                    body.append(contentsOf: "\",\"record\":".utf8)
                    body.append(record)
                    body.append(UInt8(ascii: "}"))
                    try workers[index].socket.send([header, resultKind, body])
                    tally.results += 1
                }
                if now >= workers[index].nextHeartbeat {
                    workers[index].nextHeartbeat = now + .seconds(1)
                    let progress = workers[index].held.map { LeaseProgress(lease: LeaseID(rawValue: $0.lease), step: 1) }
                    try workers[index].socket.send(Message.heartbeat(Heartbeat(leases: progress)).encode())
                    tally.heartbeats += 1
                }
            }
        }
        tally.jobsPerWorker = workers.map(\.jobs)
        if workers.contains(where: { !$0.gone }) { throw CLIError("no DISCONNECT within 900 s") }
    }
}
