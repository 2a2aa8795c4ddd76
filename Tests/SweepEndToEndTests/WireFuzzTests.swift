import Foundation
import Sweep
import Transport
import Wire
import XCTest

/// Thousands of random, truncated, oversized and wrong-version frames from real ZeroMQ peers at a running
/// coordinator with CURVE on: unauthenticated peers get nothing through, an authenticated one gets its garbage
/// logged and dropped, and the sweep still ends with exactly one record per job, none from a fuzzer.
final class WireFuzzTests: XCTestCase {
    let run = String(UUID().uuidString.prefix(6))

    func testFuzzedFramesNeitherStopTheCoordinatorNorTouchTheRecords() throws {
        try XCTSkipUnless(hasCurve(), "libzmq without CURVE")
        let started = Date()
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 2, sleepMs: 50))
        defer { dir.remove() }
        let keyDir = dir.root.appendingPathComponent("keys")
        let keys = try GuidanceProcess(["keys", "generate", "--out", keyDir.path, "--workers", "2"], name: "keys", in: dir.root)
        XCTAssertEqual(keys.waitForExit(timeout: 20), 0, keys.stderr)
        let coordinator = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.results.path,
                                               "--keys", keyDir.path, "--heartbeat-interval", "0.2", "--retry-backoff", "0.1"],
                                              name: "coordinator", in: dir.root)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let serverKey = try CurveKeyFile.readPublicKey(from: keyDir.appendingPathComponent("coordinator.key"))
        let fuzzerKeys = try CurveKeyFile.readKeyPair(fromSecretFile: keyDir.appendingPathComponent("worker-2.key_secret"))

        let context = try ZMQContext()
        func peer(_ name: String, curve: CurveKeyPair?) throws -> ZMQSocket {
            let socket = try ZMQSocket(context, kind: .dealer)
            try socket.set(.routingID(Data("\(name)-\(run)".utf8)), .sendHighWaterMark(messages: 100_000))
            if let curve { try socket.makeCurveClient(serverKey: serverKey, keyPair: curve) }
            try socket.connect(endpoint)
            return socket
        }
        let authenticated = try peer("fuzz-auth", curve: fuzzerKeys)
        let stranger = try peer("fuzz-stranger", curve: try CurveKeyPair.generate())
        let plaintext = try peer("fuzz-plain", curve: nil)
        defer { for socket in [authenticated, stranger, plaintext] { socket.close() } }

        let seed = UInt64.random(in: 0...UInt64.max)
        print("WireFuzzTests seed \(seed)")
        var fuzz = FrameFuzzer(seed: seed, plan: try dir.plan())
        var sent = 0
        for index in 0..<3000 {
            let frames = fuzz.next(allowOversize: index % 1000 == 999)
            XCTAssertTrue(try authenticated.send(frames, mode: .timeout(.seconds(5))), "seed \(seed): message \(index) not taken")
            _ = try stranger.send(frames, mode: .dontWait)
            _ = try plaintext.send(frames, mode: .dontWait)
            sent += 1
        }

        // The coordinator still answers (STATUS through CURVE with the other worker key), with nothing done.
        let status = try GuidanceProcess(["status", "--connect", endpoint, "--keys", keyDir.path, "--key",
                                          keyDir.appendingPathComponent("worker-1.key_secret").path, "--timeout", "20"],
                                         name: "status", in: dir.root)
        XCTAssertEqual(status.waitForExit(timeout: 30), 0, "seed \(seed): \(status.stderr)")
        XCTAssertTrue(status.stdout.contains("0/6 jobs"), status.stdout)
        // Peers that are not on the allow-list got nothing back (not even a REFUSED for a wrong version).
        XCTAssertNil(try stranger.receive(timeout: .milliseconds(300)))
        XCTAssertNil(try plaintext.receive(timeout: .milliseconds(300)))

        let honest = try GuidanceProcess(["worker", "--connect", endpoint, "--id", "honest-\(run)", "--threads", "1",
                                          "--heartbeat-interval", "0.2", "--keys", keyDir.path, "--key",
                                          keyDir.appendingPathComponent("worker-1.key_secret").path], name: "honest", in: dir.root)
        XCTAssertEqual(coordinator.waitForExit(timeout: 60), 0, "seed \(seed): \(coordinator.stderr.suffix(3000))")
        XCTAssertEqual(honest.waitForExit(timeout: 20), 0, honest.stderr)
        try dir.assertExactlyOneRecordPerJob()
        XCTAssertEqual(Set(dir.records().map(\.worker.id)), ["honest-\(run)"], "seed \(seed): a record from a fuzzer")
        let log = coordinator.stderr
        XCTAssertTrue(log.contains("dropped a message from fuzz-auth-\(run)"), "the authenticated garbage was logged and dropped")
        XCTAssertFalse(log.contains("fuzz-stranger-\(run)") || log.contains("fuzz-plain-\(run)"),
                       "seed \(seed): a message from an unauthenticated peer reached the coordinator")
        XCTAssertTrue(log.contains("refused a connection from 127.0.0.1"), "the stranger's key was refused")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
        print("WireFuzzTests: \(sent) messages per peer in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// Malformed protocol messages from a seeded generator: random frames, garbled or truncated JSON under valid
/// headers, wrong versions, wrong frame counts, bit flips of valid messages, and (rarely) an oversized frame.
/// Never a READY that decodes (a fuzzer holding leases would only slow the sweep down).
struct FrameFuzzer {
    private var state: UInt64
    private let templates: [[Data]]
    private let kinds = ["READY", "JOB", "HEARTBEAT", "RESULT", "FAILED", "FETCH", "ARTIFACT", "DISCONNECT", "STATUS",
                         "STATUS_REPLY", "REFUSED", "NOPE", ""]

    init(seed: UInt64, plan: Plan) {
        state = seed
        let lease = LeaseID(rawValue: "L-fuzz")
        // A RESULT claiming job 0 under a lease never issued (its spec is not sent: protocol 2): dropped even when it decodes.
        let forged = JobRecord(id: plan.jobs[0].id, spec: plan.jobs[1].spec, status: .ok, worker: WorkerRef(id: "fuzz", host: "x"),
                               versions: Versions(package: "x", libtorch: "", protocol: 1), device: "cpu",
                               startedAt: .now(), finishedAt: .now())
        let messages: [Message] = [
            .heartbeat(Heartbeat(leases: [LeaseProgress(lease: lease, step: 3, totalSteps: 9)])),
            .result(ResultReport(lease: lease, record: forged), artifact: Data("bytes".utf8)),
            .failed(FailureReport(lease: lease, job: plan.jobs[0].id, reason: "fuzz", retryable: true)),
            .fetch(ArtifactRef(sha256: String(repeating: "ab", count: 32))),
            .status(StatusRequest()),
        ]
        templates = messages.compactMap { try? $0.encode() }
    }

    private mutating func random() -> UInt64 {  // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(random() % UInt64(max(n, 1))) }

    private mutating func bytes(_ count: Int) -> Data { Data((0..<count).map { _ in UInt8(truncatingIfNeeded: random()) }) }

    private var header: Data { Data(WireProtocol.tag + [WireProtocol.version]) }

    mutating func next(allowOversize: Bool) -> [Data] {
        if allowOversize {
            return [header, Data("HEARTBEAT".utf8), Data(repeating: 0x20, count: WireProtocol.maxJSONBytes + 1)]
        }
        switch below(7) {
        case 0:  // random frames
            return (0..<(1 + below(5))).map { _ in bytes(below(300)) }
        case 1:  // valid header and kind, garbage body
            return [header, Data(kinds[below(kinds.count)].utf8), bytes(below(200))] + (below(4) == 0 ? [bytes(below(50))] : [])
        case 2:  // wrong protocol version
            return [Data(WireProtocol.tag + [UInt8(2 + below(250))]), Data("HEARTBEAT".utf8), Data("{\"leases\":[]}".utf8)]
        case 3:  // truncated JSON of a valid message
            var frames = templates[below(templates.count)]
            frames[2] = frames[2].prefix(below(frames[2].count))
            return frames
        case 4:  // bit flips in a valid message (never in the kind of a READY: there is no READY template)
            var frames = templates[below(templates.count)]
            let index = below(frames.count)
            guard !frames[index].isEmpty else { return frames }
            for _ in 0..<(1 + below(4)) {
                let position = frames[index].startIndex + below(frames[index].count)
                frames[index][position] ^= UInt8(1 << below(8))
            }
            return frames
        case 5:  // wrong frame counts
            let frames = templates[below(templates.count)]
            return below(2) == 0 ? Array(frames.prefix(1 + below(2))) : frames + [bytes(10), bytes(10)]
        default:  // valid JSON of the wrong shape under a real kind
            let bodies = ["{}", "[]", "null", "{\"leases\": 7}", "{\"lease\": {\"x\": 1}}", "{\"sha256\": \"../../etc/passwd\"}",
                          "{\"record\": {}}", "\"\(String(repeating: "x", count: 1000))\""]
            return [header, Data(kinds[below(kinds.count)].utf8), Data(bodies[below(bodies.count)].utf8)]
        }
    }
}
