import Foundation
@testable import Store
import Sweep
import XCTest

/// Journal lines are written without `JSONEncoder`; `JSONCoding`'s encoder and decoder are the reference.
final class JournalLineTests: XCTestCase {
    func testLinesAreWhatTheEncoderWritesAndReadBackAsTheEvent() throws {
        let time = Timestamp(secondsSince1970: 1_700_000_000.125)
        let job = JobID(rawValue: String(repeating: "ab", count: 32))
        let plain = [
            JournalEvent(.queued, job: job),
            JournalEvent(.leased, job: job, lease: LeaseID(rawValue: "r1-7"), worker: "node-1", attempt: 2),
            JournalEvent(.completed, job: job, lease: LeaseID(rawValue: "r1-7"), worker: "w \"quoted\" / é", attempt: 1),
            JournalEvent(.requeued, job: job, lease: LeaseID(rawValue: "r1-8"), worker: "w", attempt: 3,
                         reason: "lease expired after 10 s\\no heartbeat"),
            JournalEvent(.failed, job: job, reason: "dependency failed: guide training job x diverged", time: time),
        ]
        let encoder = JSONCoding.makeEncoder()
        for var event in plain {
            event.time = time
            let reference = try [UInt8](encoder.encode(event)) + [0x0a]
            XCTAssertEqual(String(decoding: event.line(timeText: time.description), as: UTF8.self),
                           String(decoding: reference, as: UTF8.self))
        }
        var odd = JournalEvent(.failed, job: job, worker: "w", reason: "tab\there\nnewline \u{1}\u{8}\u{c} \u{2028} 🙂")
        odd.time = time
        let decoded = try JSONCoding.makeDecoder().decode(JournalEvent.self, from: Data(odd.line(timeText: time.description)))
        XCTAssertEqual(decoded, odd)
        XCTAssertEqual(try JSONCoding.makeDecoder().decode(JournalEvent.self, from: Data(plain[0].line(timeText: nil))), plain[0])
    }

    /// Replay reads journal lines without `JSONDecoder`: the same events, and nothing that decoder rejects.
    func testLinesAreReadAsTheDecoderReadsThem() throws {
        let job = JobID(rawValue: String(repeating: "ab", count: 32))
        let base = #"{"attempt":2,"event":"leased","job":"J","lease":"r1-7","reason":"x","time":"2023-11-14T22:13:20.125Z","worker":"w"}"#
            .replacingOccurrences(of: "\"J\"", with: "\"\(job.rawValue)\"")
        let variants = [
            base, #"{"event":"queued","job":"j"}"#, #"{"event":"queued","job":"j","lease":null,"attempt":null}"#,
            #"{"event":"added","job":"j","time":"2023-11-14T22:13:20Z"}"#, #"{ "job" : "j" , "event" : "renewed" , "extra" : [1] }"#,
            #"{"event":"completed","job":"j","reason":"tab\tq\"u\u00e9\ud83d\ude42"}"#,
            #"{"event":"exploded","job":"j"}"#, #"{"event":"queued"}"#, #"{"event":"queued","job":7}"#,
            #"{"event":"queued","job":"j","attempt":1.5}"#, #"{"event":"queued","job":"j","attempt":"1"}"#,
            #"{"event":"queued","job":"j","time":"noon"}"#, #"{"event":"queued","job":"j","time":5}"#,
            #"{"event":"queued","job":"j","attempt":2.0}"#, #"{"event":"queued","job":"j\ud800"}"#, #"{"event":"queued","job":"j""#,
        ]
        var fastTaken = 0
        for text in variants {
            let line = Data(text.utf8)
            let reference = try? JSONCoding.makeDecoder().decode(JournalEvent.self, from: line)
            guard let fast = JournalEvent(jsonLine: line[...]) else { continue }
            fastTaken += 1
            XCTAssertEqual(fast, try XCTUnwrap(reference, "fast reader accepted what JSONDecoder rejects: \(text)"), text)
        }
        XCTAssertGreaterThanOrEqual(fastTaken, 6)
        var event = JournalEvent(.requeued, job: job, lease: LeaseID(rawValue: "r"), worker: "w", attempt: 3, reason: "a\nb \u{1}")
        event.time = Timestamp(secondsSince1970: 1_700_000_000.5)
        let line = Data(event.line(timeText: event.time!.description))
        XCTAssertEqual(JournalEvent(jsonLine: line.dropLast()), try JSONCoding.makeDecoder().decode(JournalEvent.self, from: line))
    }

    func testAppendedEventsReplayWithTheirTime() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        let time = Timestamp(secondsSince1970: 1_700_000_123.5)
        try store.append([JournalEvent(.leased, job: p.jobs[0].id, lease: LeaseID(rawValue: "r-1"), worker: "w", attempt: 1),
                          JournalEvent(.requeued, job: p.jobs[0].id, lease: LeaseID(rawValue: "r-1"), worker: "w", attempt: 1,
                                       reason: "expired")], at: time)
        let events = try JSONLines.read(JournalEvent.self, from: store.journalURL).elements
        XCTAssertEqual(events.map(\.kind), [.leased, .requeued])
        XCTAssertEqual(events.map(\.time), [time, time])
        XCTAssertEqual(try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p).failedAttempts[p.jobs[0].id], 1)
    }
}
