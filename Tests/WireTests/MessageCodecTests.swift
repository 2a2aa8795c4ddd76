import Foundation
import Sweep
import Wire
import XCTest

final class MessageCodecTests: XCTestCase {
    static let spec = JobSpec(task: TaskSpec(name: "parity"), target: ModelSpec(family: "transformer", label: "tf"),
                              guide: ModelSpec(family: "rnn"), condition: .guided, guideState: .trained, seed: 3)
    static let versions = Versions(package: "0.1.0", libtorch: "2.1.0", protocol: 1)
    static let lease = LeaseID(rawValue: "run1-42")
    static let record = JobRecord(
        id: spec.id, spec: spec, status: .diverged(step: 9, lastFiniteLoss: 0.7), metrics: ["val_loss": .nan],
        worker: WorkerRef(id: "w", host: "h"), versions: versions, device: "cpu",
        startedAt: Timestamp(secondsSince1970: 1), finishedAt: Timestamp(secondsSince1970: 2))

    /// One sample of every kind.
    static let samples: [Message] = [
        .ready(Ready(worker: "w-1", host: "node1", cores: 16, devices: ["cpu", "cuda:0"], slots: 2, versions: versions)),
        .job(JobAssignment(id: spec.id, spec: spec, lease: lease, attempt: 2, leaseSeconds: 3, guideArtifact: String(repeating: "c", count: 64))),
        .heartbeat(Heartbeat()),
        .heartbeat(Heartbeat(leases: [LeaseProgress(lease: lease, step: 10, totalSteps: 100, trainLoss: .infinity)])),
        .result(ResultReport(lease: lease, record: record), artifact: nil),
        .result(ResultReport(lease: lease, record: record), artifact: Data([0, 1, 2, 255])),
        .failed(FailureReport(lease: lease, job: spec.id, reason: "out of memory", retryable: true)),
        .fetch(ArtifactRef(sha256: String(repeating: "a", count: 64))),
        .artifact(ArtifactRef(sha256: String(repeating: "a", count: 64)), bytes: Data(repeating: 7, count: 1000)),
        .disconnect(Disconnect(reason: "shutting down")),
        .status(StatusRequest()),
        .statusReply(StatusReply(jobs: ["done": 3, "queued": 4], workers: [WorkerStatus(worker: "w", host: "h", slots: 1, leases: [])])),
        .refused(Refusal(reason: "unknown worker", hint: "send READY")),
    ]

    func testEveryKindRoundTrips() throws {
        XCTAssertEqual(Set(Self.samples.map(\.kind)), Set(MessageKind.allCases))
        for message in Self.samples {
            let frames = try message.encode()
            XCTAssertEqual(frames[0], Data("GDNC".utf8) + Data([WireProtocol.version]))
            XCTAssertEqual(String(decoding: frames[1], as: UTF8.self), message.kind.rawValue)
            let decoded = try Message.decode(frames)
            if case .heartbeat(let beat) = decoded, let loss = beat.leases.first?.trainLoss {
                XCTAssertEqual(loss, .infinity)  // non-finite losses survive JSON
            }
            if case .result(let report, _) = decoded {
                XCTAssertTrue(report.record.metrics["val_loss"]!.isNaN)
                continue  // NaN != NaN, so compare the rest of the record field by field
            }
            XCTAssertEqual(decoded, message)
        }
    }

    /// Protocol 2: a RESULT carries the record without its spec (the coordinator has it), and decodes to the
    /// record less its spec.
    func testResultLeavesTheSpecOut() throws {
        let frames = try Message.result(ResultReport(lease: Self.lease, record: Self.record), artifact: nil).encode()
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: frames[2]) as? [String: Any])
        let record = try XCTUnwrap(body["record"] as? [String: Any])
        XCTAssertNil(record["spec"])
        XCTAssertEqual(record["id"] as? String, Self.spec.id.rawValue)
        guard case .result(let report, _) = try Message.decode(frames) else { return XCTFail("not a RESULT") }
        var expected = Self.record
        var got = report.record.record(spec: Self.spec)
        expected.metrics = [:]
        got.metrics = [:]  // NaN != NaN
        XCTAssertEqual(got, expected)
    }

    /// A JOB whose spec was encoded beforehand (the coordinator encodes each spec once) is the same message.
    func testJobWithPreEncodedSpecDecodesAsTheWholeEncoding() throws {
        let specJSON = try JSONCoding.makeEncoder().encode(Self.spec)
        let assignments = [
            JobAssignment(id: Self.spec.id, spec: Self.spec, lease: Self.lease, attempt: 2, leaseSeconds: 3,
                          guideArtifact: String(repeating: "c", count: 64), saveCheckpoint: true),
            JobAssignment(id: Self.spec.id, spec: Self.spec, lease: LeaseID(rawValue: "odd \"lease\"\n"), attempt: 1,
                          leaseSeconds: 0.25),
        ]
        for assignment in assignments {
            let whole = try Message.job(assignment).encode()
            let spliced = try Message.job(assignment).encode(specJSON: specJSON)
            XCTAssertEqual(spliced[0], whole[0])
            XCTAssertEqual(spliced[1], whole[1])
            XCTAssertEqual(try Message.decode(spliced), .job(assignment))
            let a = try JSONSerialization.jsonObject(with: spliced[2]) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: whole[2]) as? NSDictionary
            XCTAssertEqual(a, b)
        }
    }

    func testFrameLayout() throws {
        let frames = try Message.disconnect(Disconnect(reason: "bye")).encode()
        XCTAssertEqual(frames.count, 3)
        XCTAssertEqual(String(decoding: frames[2], as: UTF8.self), #"{"reason":"bye"}"#)
        XCTAssertEqual(try Message.artifact(ArtifactRef(sha256: "x"), bytes: Data([9])).encode().count, 4)
    }

    func testDecodingErrors() throws {
        let good = try Message.disconnect(Disconnect(reason: "bye")).encode()
        let header = good[0], kind = good[1], body = good[2]
        let table: [(String, [Data], WireError)] = [
            ("no frames", [], .frameCount(0)),
            ("two frames", [header, kind], .frameCount(2)),
            ("five frames", [header, kind, body, Data(), Data()], .frameCount(5)),
            ("foreign tag", [Data("HTTP1".utf8), kind, body], .notGuidance),
            ("short tag", [Data("GDN".utf8), kind, body], .notGuidance),
            ("tag without version", [Data("GDNC".utf8), kind, body], .notGuidance),
            ("future version", [Data("GDNC".utf8) + Data([WireProtocol.version + 1]), kind, body],
             .wrongVersion(found: WireProtocol.version + 1, expected: WireProtocol.version)),
            ("protocol 1", [Data("GDNC".utf8) + Data([1]), kind, body], .wrongVersion(found: 1, expected: WireProtocol.version)),
            ("unknown kind", [header, Data("JOBS".utf8), body], .unknownKind("JOBS")),
            ("lower-case kind", [header, Data("ready".utf8), body], .unknownKind("ready")),
            ("binary kind name", [header, Data([0xff, 0x00, 0x41]), body], .unknownKind("??A")),
            ("garbled JSON", [header, kind, Data("{\"reason\":".utf8)], .garbledJSON(kind: "DISCONNECT", detail: "")),
            ("wrong JSON shape", [header, Data("FAILED".utf8), body], .garbledJSON(kind: "FAILED", detail: "")),
            ("binary on DISCONNECT", [header, kind, body, Data([1])], .unexpectedBinary(kind: "DISCONNECT")),
            ("ARTIFACT without bytes", [header, Data("ARTIFACT".utf8), Data(#"{"sha256":"x"}"#.utf8)], .missingBinary(kind: "ARTIFACT")),
            ("oversize JSON", [header, kind, Data(count: WireProtocol.maxJSONBytes + 1)],
             .oversize(frame: 2, bytes: WireProtocol.maxJSONBytes + 1, limit: WireProtocol.maxJSONBytes)),
        ]
        for (name, frames, expected) in table {
            do {
                let message = try Message.decode(frames)
                XCTFail("\(name): decoded \(message)")
            } catch {
                switch (error, expected) {
                case (.garbledJSON(let kind, let detail), .garbledJSON(let expectedKind, _)):
                    XCTAssertEqual(kind, expectedKind, name)
                    XCTAssertFalse(detail.isEmpty, name)
                default:
                    XCTAssertEqual(error, expected, name)
                }
                XCTAssertFalse(error.description.isEmpty)
            }
        }
    }

    func testEncodingRefusesOversizeArtifacts() {
        // Without allocating 256 MiB: the JSON limit is checked the same way and is smaller.
        let huge = Message.disconnect(Disconnect(reason: String(repeating: "x", count: WireProtocol.maxJSONBytes)))
        XCTAssertThrowsError(try huge.encode()) { error in
            guard case .oversize(2, _, WireProtocol.maxJSONBytes)? = error as? WireError else { return XCTFail("\(error)") }
        }
    }

    /// Random frames and mutated valid messages never crash the decoder.
    func testFuzzDecodeNeverTraps() throws {
        var rng = SplitMix64(seed: 0x5eed)
        let valid = try Self.samples.map { try $0.encode() }
        var decodedCount = 0
        for round in 0..<4000 {
            var frames: [Data]
            if round % 2 == 0 {
                frames = (0..<Int(rng.next() % 6)).map { _ in Data((0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
                if rng.next() % 2 == 0, !frames.isEmpty { frames[0] = Data("GDNC".utf8) + Data([1]) }
                if rng.next() % 2 == 0, frames.count > 1 {
                    frames[1] = Data(MessageKind.allCases[Int(rng.next() % UInt64(MessageKind.allCases.count))].rawValue.utf8)
                }
            } else {
                frames = valid[Int(rng.next() % UInt64(valid.count))]
                let target = Int(rng.next() % UInt64(frames.count))
                var bytes = [UInt8](frames[target])
                switch rng.next() % 3 {
                case 0 where !bytes.isEmpty:
                    for _ in 0..<(1 + Int(rng.next() % 4)) { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
                case 1: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))))
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: Int(rng.next() % UInt64(bytes.count + 1)))
                }
                frames[target] = Data(bytes)
            }
            if (try? Message.decode(frames)) != nil { decodedCount += 1 }
        }
        XCTAssertGreaterThan(decodedCount, 0)  // some mutations (e.g. inside a string) stay valid
    }
}

/// A small deterministic generator so fuzz failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension MessageCodecTests {
    func testJobWithoutSaveCheckpointDecodesAsFalse() throws {
        let spec = JobSpec(task: TaskSpec(name: "t"), target: ModelSpec(family: "fcn"))
        let job = JobAssignment(id: spec.id, spec: spec, lease: LeaseID(rawValue: "L-1"), attempt: 1, leaseSeconds: 3, saveCheckpoint: true)
        var frames = try Message.job(job).encode()
        XCTAssertEqual(try Message.decode(frames), .job(job))
        // An older peer leaves the field out.
        var body = try JSONSerialization.jsonObject(with: frames[2]) as! [String: Any]
        body["save_checkpoint"] = nil
        frames[2] = try JSONSerialization.data(withJSONObject: body)
        guard case .job(let decoded) = try Message.decode(frames) else { return XCTFail("expected a JOB") }
        XCTAssertFalse(decoded.saveCheckpoint)
        XCTAssertEqual(decoded.spec, spec)
    }
}
