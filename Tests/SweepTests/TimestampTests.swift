import Foundation
import Sweep
import XCTest

/// `Timestamp.description` is written by hand for speed; Foundation's ISO 8601 formatter is the reference.
final class TimestampTests: XCTestCase {
    func testTheTextIsFoundationsOnRandomTimes() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        var generator = SystemRandomNumberGenerator()
        var dates: [Date] = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.0005), Date(timeIntervalSince1970: 951_782_400),
                             Date(timeIntervalSinceReferenceDate: 0), Date(timeIntervalSince1970: 4_102_444_799.999), Date()]
        for i in 0..<20_000 {
            switch i % 4 {
            case 0: dates.append(Date(timeIntervalSince1970: Double.random(in: -2_000_000_000..<4_102_444_800, using: &generator)))
            case 1: dates.append(Date(timeIntervalSince1970: Double(Int.random(in: 1_700_000_000_000..<1_900_000_000_000, using: &generator)) / 1000))
            case 2: dates.append(Date(timeIntervalSinceReferenceDate: Double.random(in: 7e8..<9e8, using: &generator)))
            default: dates.append(Date(timeIntervalSinceNow: Double.random(in: -1e6..<1e6, using: &generator)))
            }
        }
        var mismatches: [String] = []
        for date in dates where Timestamp(date).description != date.formatted(style) {
            mismatches.append("\(date.timeIntervalSinceReferenceDate): \(Timestamp(date).description) vs \(date.formatted(style))")
        }
        XCTAssertEqual(mismatches.count, 0, mismatches.prefix(5).joined(separator: "\n"))
    }

    func testTheTextParsesBackToTheSameMillisecond() throws {
        let stamp = Timestamp(Date(timeIntervalSince1970: 1_796_000_000.5))
        XCTAssertEqual(stamp.description, "2026-11-30T00:53:20.500Z")
        XCTAssertEqual(try XCTUnwrap(Timestamp(iso: stamp.description)).description, stamp.description)
    }
}
