public import ArgumentParser
import Foundation
import Sweep
import Transport
import Wire

/// `guidance status`: ask a running coordinator how its sweep is doing.
public struct StatusCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running coordinator's progress: job counts, workers and their jobs, ETA.")

    @Option(help: "The coordinator's endpoint, e.g. tcp://HOST:5555.") var connect: String
    @Option(help: "Seconds to wait for an answer.") var timeout: Double = 5
    @Flag(help: "Print the STATUS_REPLY body as JSON.") var json = false
    @OptionGroup var keys: ClientKeyOptions

    public init() {}

    public func run() throws {
        let status = try Self.fetch(from: connect, timeout: .seconds(timeout), curve: try keys.settings(asOperator: true))
        if json {
            print(String(decoding: try JSONCoding.makeEncoder().encode(status), as: UTF8.self))
        } else {
            if let sweep = status.sweep { print("sweep \(sweep)") }
            for line in StatusText.lines(status, width: 200) { print(line) }
        }
    }

    /// One STATUS round trip on a fresh DEALER.
    static func fetch(from endpoint: String, timeout: Duration, curve: CurveClientSettings? = nil) throws -> StatusReply {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .dealer)
        defer { socket.close() }
        try socket.set(.maxMessageSize(bytes: WireProtocol.maxFrameBytes))
        if let curve { try socket.makeCurveClient(serverKey: curve.serverKey, keyPair: curve.keyPair) }
        try socket.connect(endpoint)
        try socket.send(try Message.status(StatusRequest()).encode(), mode: .timeout(timeout))
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard let frames = try socket.receive(timeout: deadline - ContinuousClock.now) else { break }
            switch try? Message.decode(frames) {
            case .statusReply(let reply)?: return reply
            case .refused(let refusal)?: throw CLIError("the coordinator refused: \(refusal.reason)")
            default: continue
            }
        }
        let question = curve == nil ? "is a coordinator running there?"
            : "is the coordinator running, is coordinator.key the right one, and is this key on its allowed_workers?"
        throw CLIError("no answer from \(endpoint) within \(timeout) (\(question))")
    }
}
