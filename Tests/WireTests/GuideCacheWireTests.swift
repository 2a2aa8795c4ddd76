import Foundation
import Sweep
import Wire
import XCTest

/// READY, HEARTBEAT and STATUS_REPLY carry a worker's guide cache counters; messages of older peers without them
/// still decode.
final class GuideCacheWireTests: XCTestCase {
    let statistics = GuideCacheStatistics(hits: 3, misses: 1, evictions: 0, entries: 1, bytes: 207_618_048, budgetBytes: 1 << 31)
    let versions = Versions(package: "0.1.0", libtorch: "1.13.0", protocol: Int(WireProtocol.version))

    func testReadyHeartbeatAndStatusReplyRoundTripTheCounters() throws {
        let messages: [Message] = [
            .ready(Ready(worker: "w", host: "h", cores: 2, devices: ["cpu"], slots: 1, versions: versions, guideCache: statistics)),
            .heartbeat(Heartbeat(leases: [LeaseProgress(lease: LeaseID(rawValue: "L-1"), step: 3)], guideCache: statistics)),
            .statusReply(StatusReply(jobs: ["running": 1], workers: [WorkerStatus(worker: "w", host: "h", slots: 0, leases: [],
                                                                                 guideCache: statistics)])),
        ]
        for message in messages {
            let frames = try message.encode()
            XCTAssertEqual(try Message.decode(frames), message)
            XCTAssertTrue(String(decoding: frames[2], as: UTF8.self).contains(#""guide_cache":{"budget_bytes":2147483648"#),
                          String(decoding: frames[2], as: UTF8.self))
        }
    }

    func testMessagesWithoutTheFieldDecodeAsBefore() throws {
        // A heartbeat as an older worker (and the coordinator) writes it.
        let heartbeat = try Message.decode([Data(WireProtocol.tag + [WireProtocol.version]), Data("HEARTBEAT".utf8),
                                            Data(#"{"leases":[{"lease":"L-1","step":2}]}"#.utf8)])
        guard case .heartbeat(let beat) = heartbeat else { return XCTFail("expected HEARTBEAT") }
        XCTAssertNil(beat.guideCache)
        XCTAssertEqual(beat.leases.map(\.step), [2])
        XCTAssertFalse(String(decoding: try Message.heartbeat(Heartbeat()).encode()[2], as: UTF8.self).contains("guide_cache"),
                       "nothing is written when there is nothing to say")

        for (kind, body) in [("READY", try Message.ready(Ready(worker: "w", host: "h", cores: 2, devices: ["cpu"], slots: 1, versions: versions,
                                                               guideCache: statistics)).encode()[2]),
                             ("STATUS_REPLY", try Message.statusReply(StatusReply(jobs: [:], workers: [WorkerStatus(worker: "w", host: "h", slots: 1, leases: [],
                                                                                                                  guideCache: statistics)])).encode()[2])] {
            var json = try XCTUnwrap(JSONSerialization.jsonObject(with: body) as? [String: Any])
            if kind == "READY" {
                json["guide_cache"] = nil
            } else {
                var workers = try XCTUnwrap(json["workers"] as? [[String: Any]])
                workers[0]["guide_cache"] = nil
                json["workers"] = workers
            }
            let decoded = try Message.decode([Data(WireProtocol.tag + [WireProtocol.version]), Data(kind.utf8),
                                              try JSONSerialization.data(withJSONObject: json)])
            switch decoded {
            case .ready(let ready): XCTAssertNil(ready.guideCache)
            case .statusReply(let reply): XCTAssertNil(reply.workers.first?.guideCache)
            default: XCTFail("unexpected \(decoded.kind)")
            }
        }
    }
}
