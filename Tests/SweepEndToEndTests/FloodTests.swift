import Foundation
import Sweep
import Transport
import Wire
import XCTest

/// A peer flooding STATUS and HEARTBEAT requests at a running coordinator without reading the replies: the excess
/// is dropped and logged once per peer per interval, and the sweep beside it finishes with one record per job.
final class FloodTests: XCTestCase {
    func testAStatusFloodIsRateLimitedAndTheSweepFinishes() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 4, sleepMs: 200))
        defer { dir.remove() }
        let coordinator = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results",
                                               dir.results.path, "--heartbeat-interval", "0.2", "--retry-backoff", "0.1"],
                                              name: "coordinator", in: dir.root)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let flooderID = "flooder-\(UUID().uuidString.prefix(6))"
        let context = try ZMQContext()
        let flooder = try ZMQSocket(context, kind: .dealer)
        defer { flooder.close(); context.close() }
        try flooder.set(.routingID(Data(flooderID.utf8)), .sendHighWaterMark(messages: 100_000), .linger(.zero))
        try flooder.connect(endpoint)
        let status = try Message.status(StatusRequest()).encode()
        let heartbeat = try Message.heartbeat(Heartbeat()).encode()
        var taken = 0
        for index in 0..<20_000 where try flooder.send(index % 2 == 0 ? status : heartbeat, mode: .timeout(.seconds(5))) {
            taken += 1
        }
        XCTAssertGreaterThan(taken, 1_000)
        let worker = try GuidanceProcess(["worker", "--connect", endpoint, "--id", "w-\(UUID().uuidString.prefix(6))",
                                          "--threads", "1", "--heartbeat-interval", "0.2"], name: "worker", in: dir.root)
        XCTAssertEqual(coordinator.waitForExit(timeout: 120), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)
        try dir.assertExactlyOneRecordPerJob()
        let complaints = coordinator.stderr.split(separator: "\n").filter { $0.contains(flooderID) && $0.contains("faster than") }
        XCTAssertGreaterThanOrEqual(complaints.count, 1, coordinator.stderr.suffix(3000).description)
        // Once per 10 s per peer: the whole run would need to last far longer for a second line.
        XCTAssertLessThanOrEqual(complaints.count, 1 + Int(Date().timeIntervalSince(startedAt) / 10), complaints.joined(separator: "\n"))
        // The flooder got at most the burst and the rate's worth of replies, not one per request.
        var replies = 0
        while try flooder.receive(timeout: .milliseconds(200)) != nil { replies += 1 }
        XCTAssertLessThan(replies, taken / 2, "\(replies) replies to \(taken) requests")
    }

    let startedAt = Date()
}
