@testable import Coordinator
import Foundation
import XCTest

final class PeerRateLimiterTests: XCTestCase {
    let status = Data("STATUS".utf8), result = Data("RESULT".utf8)
    let flooder = Data("flooder".utf8), worker = Data("w1".utf8)

    func testAFloodIsCutToTheRateAndReportedOncePerInterval() {
        var limiter = PeerRateLimiter(perSecond: 10, burst: 20, complaintInterval: 5)
        var admitted = 0
        var reports: [Int] = []
        // 1,000 STATUS in one second: the burst and one second's worth get through.
        for i in 0..<1_000 {
            switch limiter.admit(flooder, kind: status, now: Double(i) / 1_000) {
            case .admit: admitted += 1
            case .drop(let report): if let report { reports.append(report) }
            }
        }
        XCTAssertGreaterThanOrEqual(admitted, 20)
        XCTAssertLessThanOrEqual(admitted, 20 + 10)
        XCTAssertEqual(reports, [1], "reported once, at the first drop")
        // Five seconds on, still flooding: one more report, counting what was dropped meanwhile.
        var later: [Int] = []
        for i in 0..<10 {
            if case .drop(let report?) = limiter.admit(flooder, kind: status, now: 1 + Double(i) / 1_000) { later.append(report) }
        }
        for i in 0..<100 {
            if case .drop(let report?) = limiter.admit(flooder, kind: status, now: 6 + Double(i) / 1_000) { later.append(report) }
        }
        XCTAssertEqual(later.count, 1)
        XCTAssertGreaterThan(later[0], 900)
    }

    func testOtherPeersAndResultsAreNeverLimited() {
        var limiter = PeerRateLimiter(perSecond: 10, burst: 20, complaintInterval: 5)
        for i in 0..<1_000 { _ = limiter.admit(flooder, kind: status, now: Double(i) / 1_000) }
        for i in 0..<1_000 { XCTAssertEqual(limiter.admit(flooder, kind: result, now: 1 + Double(i) / 1_000), .admit) }
        for i in 0..<20 { XCTAssertEqual(limiter.admit(worker, kind: Data("HEARTBEAT".utf8), now: 1 + Double(i)), .admit) }
    }
}
