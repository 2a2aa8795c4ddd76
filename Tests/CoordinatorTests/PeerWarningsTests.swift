@testable import Coordinator
import XCTest

/// Log lines caused by a peer are limited per peer and interval, and what was held back is counted.
final class PeerWarningsTests: XCTestCase {
    func testAFloodBecomesAFewLinesAndACount() {
        var limiter = PeerWarnings(interval: 10, perInterval: 3)
        var logged = 0
        for i in 0..<1000 where limiter.admit("flooder", now: Double(i) * 0.001) != nil { logged += 1 }
        XCTAssertEqual(logged, 3, "at most 3 lines per interval")
        XCTAssertEqual(limiter.admit("quiet", now: 1), 0, "another peer is not held back")
        // Next interval: the first line about the flooder reports the 997 held back.
        XCTAssertEqual(limiter.admit("flooder", now: 11), 997)
        XCTAssertEqual(limiter.admit("flooder", now: 11.5), 0)
        XCTAssertTrue(limiter.suffix(997, peer: "flooder").contains("997 more like it from flooder"))
        XCTAssertEqual(limiter.suffix(0, peer: "flooder"), "")
    }
}
