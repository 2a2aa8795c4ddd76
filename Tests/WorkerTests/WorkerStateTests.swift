import Worker
import XCTest

/// The worker's connection logic (Paranoid Pirate), driven by events without sockets.
final class WorkerStateTests: XCTestCase {
    /// Heartbeat every 1 s, dead after 3 s of silence, reconnect after 1, 2, 4, ... capped at 8 s.
    let config = WorkerConfig(heartbeatInterval: .seconds(1), liveness: 3, reconnectInitial: .seconds(1),
                              reconnectMaximum: .seconds(8))

    func testStartConnectsAndIntroducesItself() {
        var state = WorkerState(config: config)
        XCTAssertEqual(state.handle(.tick, now: 0), [], "nothing happens before start")
        XCTAssertEqual(state.handle(.start, now: 0), [.connect, .sendReady])
        XCTAssertEqual(state.phase, .connected)
    }

    func testHeartbeatsOncePerIntervalWhileTheCoordinatorTalks() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        var heartbeats = 0
        var time = 0.0
        while time < 10 {
            time += 0.25
            if time.truncatingRemainder(dividingBy: 1) == 0 { _ = state.handle(.received(.ordinary), now: time) }
            heartbeats += state.handle(.tick, now: time).filter { $0 == .sendHeartbeat }.count
        }
        XCTAssertEqual(heartbeats, 10)
        XCTAssertEqual(state.phase, .connected)
        XCTAssertEqual(state.reconnects, 0)
    }

    func testSilenceClosesTheSocketAndReconnectsAfterTheBackoff() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        XCTAssertFalse(state.handle(.tick, now: 2.9).contains(.closeSocket), "2.9 s of silence is within liveness")
        XCTAssertEqual(state.handle(.tick, now: 3.0), [.closeSocket])
        XCTAssertEqual(state.phase, .waiting(until: 4.0))
        XCTAssertEqual(state.handle(.tick, now: 3.5), [], "still backing off")
        XCTAssertEqual(state.handle(.tick, now: 4.0), [.connect, .sendReady], "re-READY after reconnect")
        XCTAssertEqual(state.reconnects, 1)
    }

    func testBackoffDoublesUpToTheCapWhileNobodyAnswers() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        var time = 0.0
        var waits: [Double] = []
        for _ in 0..<6 {
            time += 3  // silent for the whole liveness window
            XCTAssertEqual(state.handle(.tick, now: time), [.closeSocket])
            guard case .waiting(let until) = state.phase else { return XCTFail("expected to wait, got \(state.phase)") }
            waits.append(until - time)
            time = until
            XCTAssertEqual(state.handle(.tick, now: time), [.connect, .sendReady])
        }
        XCTAssertEqual(waits, [1, 2, 4, 8, 8, 8])
    }

    func testHearingFromTheCoordinatorResetsTheBackoff() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.tick, now: 3)      // wait 1 s
        _ = state.handle(.tick, now: 4)      // reconnect
        _ = state.handle(.tick, now: 7)      // wait 2 s
        _ = state.handle(.tick, now: 9)      // reconnect
        _ = state.handle(.received(.ordinary), now: 9.5)
        XCTAssertEqual(state.backoff, .seconds(1))
        _ = state.handle(.tick, now: 12.5)
        XCTAssertEqual(state.phase, .waiting(until: 13.5), "after a live connection the first wait is the initial one again")
    }

    func testGivesUpAfterHearingNothingForTheGiveUpTimeButNotBefore() {
        var patient = config
        patient.giveUpAfter = .seconds(20)
        var state = WorkerState(config: patient)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.received(.ordinary), now: 5)  // the clock starts again at the last message
        var exits: [WorkerAction] = []
        var time = 5.0
        while time < 40 && state.phase != .stopped {
            time += 0.5
            exits += state.handle(.tick, now: time).filter { if case .exit = $0 { return true } else { return false } }
        }
        XCTAssertEqual(time, 25, "gave up at \(time), 20 s after the last message")
        XCTAssertEqual(exits.count, 1)
        if case .exit(_, let failure) = exits.first { XCTAssertFalse(failure, "giving up is a normal end") }
        XCTAssertGreaterThan(state.reconnects, 0, "it kept reconnecting until then")
    }

    func testWithoutAGiveUpTimeItReconnectsForever() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        for time in stride(from: 0.5, through: 3600, by: 0.5) { _ = state.handle(.tick, now: time) }
        XCTAssertNotEqual(state.phase, .stopped)
    }

    func testUnknownWorkerRefusalSendsReadyAgain() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        XCTAssertEqual(state.handle(.received(.refusedUnknownWorker), now: 1), [.sendReady])
        XCTAssertEqual(state.handle(.received(.refused(reason: "artifact missing")), now: 1.5), [])
        XCTAssertEqual(state.phase, .connected)
    }

    func testDisconnectFromTheCoordinatorEndsCleanly() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        XCTAssertEqual(state.handle(.received(.disconnect(reason: "sweep finished")), now: 1),
                       [.exit(reason: "coordinator said goodbye: sweep finished", failure: false)])
        XCTAssertEqual(state.handle(.tick, now: 100), [], "a stopped worker does nothing more")
    }

    func testIncompatibleCoordinatorIsAFailure() {
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        let actions = state.handle(.received(.incompatible(reason: "version 2")), now: 1)
        XCTAssertEqual(actions, [.exit(reason: "version 2", failure: true)])
    }

    func testStopSaysGoodbyeOnlyWhenConnected() {
        var connected = WorkerState(config: config)
        _ = connected.handle(.start, now: 0)
        XCTAssertEqual(connected.handle(.stop(reason: "SIGTERM"), now: 1),
                       [.sendDisconnect(reason: "SIGTERM"), .exit(reason: "SIGTERM", failure: false)])

        var waiting = WorkerState(config: config)
        _ = waiting.handle(.start, now: 0)
        _ = waiting.handle(.tick, now: 3)
        XCTAssertEqual(waiting.handle(.stop(reason: "SIGINT"), now: 3.5), [.exit(reason: "SIGINT", failure: false)])
    }

    func testRestartedCoordinatorScenario() {
        // The coordinator dies (silence), comes back, does not know us: we reconnect, READY, and on its
        // refusal of our heartbeat we READY again.
        var state = WorkerState(config: config)
        _ = state.handle(.start, now: 0)
        _ = state.handle(.received(.ordinary), now: 1)
        XCTAssertEqual(state.handle(.tick, now: 4), [.closeSocket])
        XCTAssertEqual(state.handle(.tick, now: 5), [.connect, .sendReady])
        XCTAssertEqual(state.handle(.tick, now: 6), [.sendHeartbeat])
        XCTAssertEqual(state.handle(.received(.refusedUnknownWorker), now: 6.1), [.sendReady])
        XCTAssertEqual(state.handle(.tick, now: 7), [.sendHeartbeat])
        XCTAssertEqual(state.phase, .connected)
    }
}
