import Worker
import XCTest

/// A worker process that did not run for a while does not blame the coordinator for the silence.
final class WorkerStallTests: XCTestCase {
    let config = WorkerConfig(heartbeatInterval: .seconds(1), liveness: 3, reconnectInitial: .seconds(1),
                              reconnectMaximum: .seconds(8), giveUpAfter: .seconds(5))

    func testAStallOfTheWorkerIsExcusedAndLaterSilenceIsNot() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.received(.ordinary), now: 1)
        // Stopped from 1.2 s to 9.2 s: the first tick after would close the socket and give up.
        state.excuse(stall: 8, now: 9.2)
        XCTAssertFalse(state.handle(.tick, now: 9.2).contains(.closeSocket))
        XCTAssertEqual(state.phase, .connected)
        // Silence past the stall still counts: 3 s after the shifted last message (1 + 8 = 9).
        XCTAssertFalse(state.handle(.tick, now: 11.9).contains(.closeSocket))
        XCTAssertTrue(state.handle(.tick, now: 12.1).contains(.closeSocket))
    }

    func testWithoutAnExcuseTheSameSilenceEndsTheConnection() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.received(.ordinary), now: 1)
        let actions = state.handle(.tick, now: 9.2)
        XCTAssertTrue(actions.contains(.closeSocket), "\(actions)")
    }

    func testAnExcuseNeverMovesTheLastMessagePastNow() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.received(.ordinary), now: 5)
        state.excuse(stall: 100, now: 6)
        XCTAssertEqual(state.lastHeard, 6)
    }
}
