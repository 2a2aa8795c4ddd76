import Config
import Foundation
import Sweep
import Wire
import XCTest

/// RESULT and HEARTBEAT bodies are written and read by hand (a coordinator handles one RESULT per job): checked
/// against `JSONCoding`'s encoder and decoder, the independent reference, and against the errors they give.
final class MessageFastJSONTests: XCTestCase {
    static let lease = LeaseID(rawValue: "Labc-42")
    static let report = ResultReport(lease: lease, record: MessageCodecTests.record)
    static let heartbeats = [
        Heartbeat(),
        Heartbeat(leases: [
            LeaseProgress(lease: lease, step: 10, totalSteps: 100, trainLoss: .infinity, taskLoss: -.infinity, guidanceLoss: .nan),
            LeaseProgress(lease: LeaseID(rawValue: "L\"é\n"), step: 0),
            LeaseProgress(lease: lease, step: Int.max, job: JobID(rawValue: "j"), summary: "guided/trained parity fcn seed=1"),
        ]),
        // The guide cache's counters (issue 13) must survive the hand-written path both ways.
        Heartbeat(leases: [LeaseProgress(lease: lease, step: 3)],
                  guideCache: GuideCacheStatistics(hits: 4, misses: 1, evictions: 0, entries: 1, bytes: 1 << 20, budgetBytes: 1 << 26)),
    ]

    private func body(_ message: Message) throws -> Data { try message.encode()[2] }

    func testResultBodyIsTheEncodersJSONValue() throws {
        let reference = try JSONCoding.makeEncoder().encode(Self.report)
        XCTAssertEqual(ConfigValue(json: try body(.result(Self.report, artifact: nil))), ConfigValue(json: reference))
    }

    func testHeartbeatBodyIsTheEncodersJSONValue() throws {
        for beat in Self.heartbeats {
            let reference = try JSONCoding.makeEncoder().encode(beat)
            XCTAssertEqual(ConfigValue(json: try body(.heartbeat(beat))), ConfigValue(json: reference))
        }
    }

    /// Bodies written by `JSONEncoder` (an older worker's) decode to what `JSONDecoder` reads from them.
    func testDecodesEncoderWrittenBodiesAsTheDecoderDoes() throws {
        let header = Data(WireProtocol.tag + [WireProtocol.version])
        let encoder = JSONCoding.makeEncoder(), decoder = JSONCoding.makeDecoder()
        let resultBody = try encoder.encode(Self.report)
        guard case .result(let report, nil) = try Message.decode([header, Data("RESULT".utf8), resultBody]) else {
            return XCTFail("not a RESULT")
        }
        let expected = try decoder.decode(ResultReport.self, from: resultBody)
        XCTAssertEqual(try encoder.encode(report), try encoder.encode(expected))  // NaN metrics: compare the JSON
        for beat in Self.heartbeats {
            let beatBody = try encoder.encode(beat)
            guard case .heartbeat(let decoded) = try Message.decode([header, Data("HEARTBEAT".utf8), beatBody]) else {
                return XCTFail("not a HEARTBEAT")
            }
            XCTAssertEqual(try encoder.encode(decoded), try encoder.encode(decoder.decode(Heartbeat.self, from: beatBody)))
            XCTAssertEqual(decoded.guideCache, beat.guideCache)
        }
    }

    /// A body the fast reader does not take still gets the decoder's error, naming the field.
    func testGarbledBodiesStillNameTheField() throws {
        let header = Data(WireProtocol.tag + [WireProtocol.version])
        let good = String(decoding: try body(.result(Self.report, artifact: nil)), as: UTF8.self)
        let cases: [(String, String, String)] = [
            (#""wall_seconds":0"#, #""wall_seconds":"slow""#, "record.wall_seconds"),
            (#""lease":"Labc-42""#, #""lease":42"#, "lease"),
            (#""step":9"#, #""step":"9""#, "record.status.step"),
        ]
        for (from, to, path) in cases {
            XCTAssertTrue(good.contains(from), from)
            let text = good.replacingOccurrences(of: from, with: to)
            XCTAssertThrowsError(try Message.decode([header, Data("RESULT".utf8), Data(text.utf8)])) { error in
                guard case WireError.garbledJSON(let kind, let detail) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(kind, "RESULT")
                XCTAssertTrue(detail.hasPrefix(path), "\(detail) should name \(path)")
            }
        }
        XCTAssertThrowsError(try Message.decode([header, Data("HEARTBEAT".utf8), Data(#"{"leases":[{"lease":"a"}]}"#.utf8)])) { error in
            guard case WireError.garbledJSON(_, let detail) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("step"), detail)
        }
    }

    /// Invalid UTF-8 inside a string is refused, as `JSONDecoder` refuses it (not replaced by U+FFFD).
    func testInvalidUTF8IsRefused() throws {
        let header = Data(WireProtocol.tag + [WireProtocol.version])
        var text = Array(#"{"leases":[{"lease":"L"#.utf8)
        text += [0xff, 0xfe]
        text += Array(#"","step":1}]}"#.utf8)
        XCTAssertThrowsError(try JSONCoding.makeDecoder().decode(Heartbeat.self, from: Data(text)))
        XCTAssertThrowsError(try Message.decode([header, Data("HEARTBEAT".utf8), Data(text)]))
    }
}
