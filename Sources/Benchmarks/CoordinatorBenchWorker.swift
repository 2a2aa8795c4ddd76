import Config
import CoordinatorCommands
import Foundation
import Sweep
import Transport
import Wire

/// A minimal worker for the dispatch benchmark: one thread with its own DEALER socket that answers every JOB
/// at once with a RESULT, so that the measurement is about the coordinator, not about training.
///
/// It speaks the real protocol (READY with `slots` credits, HEARTBEAT every 0.5 s so that the coordinator
/// does not presume it dead, RESULT per JOB, exits on DISCONNECT) but skips what a real worker spends
/// CPU on: it reads only the JOB's `id` and `lease` (`ConfigValue(json:member:)`, skipping the spec), and the
/// RESULT's record JSON is prepared before the run (`recordJSON`, by job id) and spliced into the body.
final class CoordinatorBenchWorker: @unchecked Sendable {
    /// What one worker thread saw, on the `ContinuousClock`.
    struct Tally: Sendable {
        var results = 0
        var firstJob: ContinuousClock.Instant?
        var disconnect: ContinuousClock.Instant?
        var error: String?
    }

    let id: String
    let endpoint: String
    let slots: Int
    let context: ZMQContext
    /// Record JSON (one `JobRecord`, UTF-8) by job id.
    let recordJSON: [String: Data]
    private let lock = NSCondition()
    private var tally = Tally()
    private var done = false

    init(id: String, endpoint: String, slots: Int, context: ZMQContext, recordJSON: [String: Data]) {
        self.id = id
        self.endpoint = endpoint
        self.slots = slots
        self.context = context
        self.recordJSON = recordJSON
    }

    /// Starts the worker's thread.
    func start() {
        let thread = Thread { [self] in
            var result = Tally()
            do {
                try loop(&result)
            } catch {
                result.error = "\(id): \(error)"
            }
            lock.lock()
            tally = result
            done = true
            lock.broadcast()
            lock.unlock()
        }
        thread.name = "bench worker \(id)"
        thread.start()
    }

    /// Waits for the thread to end (after DISCONNECT) and returns what it saw.
    func wait() -> Tally {
        lock.lock()
        defer { lock.unlock() }
        while !done { lock.wait() }
        return tally
    }

    private func loop(_ tally: inout Tally) throws {
        let socket = try ZMQSocket(context, kind: .dealer)
        defer { socket.close() }
        try socket.set(.routingID(Data(id.utf8)), .linger(.seconds(1)), .sendHighWaterMark(messages: 0))
        try socket.connect(endpoint)
        let ready = Message.ready(Ready(worker: id, host: "localhost", cores: slots, devices: ["cpu"], slots: slots,
                                        versions: Versions(package: PackageVersion.current, libtorch: "",
                                                           protocol: Int(WireProtocol.version))))
        let heartbeat = try Message.heartbeat(Heartbeat()).encode()
        try socket.send(ready.encode())
        let clock = ContinuousClock()
        var nextHeartbeat = clock.now + .milliseconds(500)
        let header = Data(WireProtocol.tag + [WireProtocol.version])
        let resultKind = Data(MessageKind.result.rawValue.utf8)
        var frames: [Data] = []
        let giveUp = clock.now + .seconds(600)
        while clock.now < giveUp {
            if try socket.receive(into: &frames, timeout: .milliseconds(100)), frames.count >= 3 {
                switch String(decoding: frames[1], as: UTF8.self) {
                case MessageKind.job.rawValue:
                    if tally.firstJob == nil { tally.firstJob = clock.now }
                    let bytes = [UInt8](frames[2])
                    guard let id = ConfigValue(json: bytes, member: "id")?.stringValue,
                          let lease = ConfigValue(json: bytes, member: "lease")?.stringValue else {
                        throw CLIError("JOB without id or lease: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                    }
                    let head = (id: id, lease: lease)
                    guard let record = recordJSON[head.id] else { throw CLIError("JOB for unknown job \(head.id)") }
                    var body = Data("{\"lease\":\"".utf8)
                    body.append(contentsOf: head.lease.utf8)
                    body.append(contentsOf: "\",\"record\":".utf8)
                    body.append(record)
                    body.append(UInt8(ascii: "}"))
                    try socket.send([header, resultKind, body])
                    tally.results += 1
                case MessageKind.disconnect.rawValue:
                    tally.disconnect = clock.now
                    return
                case MessageKind.refused.rawValue:
                    try socket.send(ready.encode())
                default:
                    break
                }
            }
            if clock.now >= nextHeartbeat {
                nextHeartbeat = clock.now + .milliseconds(500)
                try socket.send(heartbeat)
            }
        }
        throw CLIError("no DISCONNECT within 600 s")
    }
}
