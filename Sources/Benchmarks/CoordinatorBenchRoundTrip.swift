import CoordinatorCommands
import Foundation
import Sweep
import Transport
import Wire

/// ROUTER/DEALER round trips on loopback TCP through the `Transport` wrapper: a DEALER sends a HEARTBEAT
/// message (3 frames, as the protocol's smallest message), an echo thread's ROUTER sends it back.
/// `withWire` adds what a real exchange costs on top: `Message.decode` and `encode` on both sides.
struct CoordinatorBenchRoundTrip {
    struct Result: Codable, Sendable {
        /// "transport" (frames echoed) or "transport+wire" (decoded and encoded on both sides).
        var variant: String
        var roundTrips: Int
        /// Per round trip, µs.
        var microseconds: CoordinatorBenchStats
    }

    let count: Int
    let warmUp = 1_000

    func run(withWire: Bool) throws -> Result {
        let context = try ZMQContext()
        defer { context.close() }
        let total = count + warmUp
        let endpointBox = CoordinatorBenchBox<Swift.Result<String, any Error>>()
        // The ROUTER lives on the echo thread (a socket belongs to one thread).
        let echo = Thread {
            let router: ZMQSocket
            do {
                router = try ZMQSocket(context, kind: .router)
                try router.bind("tcp://127.0.0.1:*")
                endpointBox.put(.success(try router.lastEndpoint()))
            } catch {
                endpointBox.put(.failure(error))
                return
            }
            defer { router.close() }
            var frames: [Data] = []
            var served = 0
            while served < total, (try? router.receive(into: &frames, timeout: .seconds(10))) == true {
                if withWire {
                    guard let message = try? Message.decode(Array(frames[1...])), let reply = try? message.encode() else { return }
                    _ = try? router.send([frames[0]] + reply)
                } else {
                    _ = try? router.send(frames)
                }
                served += 1
            }
        }
        echo.start()
        let endpoint = try endpointBox.take().get()
        let dealer = try ZMQSocket(context, kind: .dealer)
        defer { dealer.close() }
        try dealer.connect(endpoint)
        let message = Message.heartbeat(Heartbeat(leases: [LeaseProgress(lease: LeaseID(rawValue: "L1-1"), step: 10, totalSteps: 100)]))
        let encoded = try message.encode()
        var frames: [Data] = []
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let clock = ContinuousClock()
        for index in 0..<total {
            let started = clock.now
            try dealer.send(withWire ? try message.encode() : encoded)
            guard try dealer.receive(into: &frames, timeout: .seconds(10)) else { throw CLIError("round trip \(index) timed out") }
            if withWire { _ = try Message.decode(frames) }
            if index >= warmUp { samples.append((clock.now - started).seconds * 1e6) }
        }
        while !echo.isFinished { Thread.sleep(forTimeInterval: 0.001) }
        return Result(variant: withWire ? "transport+wire" : "transport", roundTrips: count, microseconds: CoordinatorBenchStats(samples))
    }
}
