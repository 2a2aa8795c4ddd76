import Foundation
import Transport
import XCTest

final class ZMQPollerTests: XCTestCase {
    func testPollReportsOnlyTheReadableSocket() throws {
        let context = try ZMQContext()
        let busy = try ZMQSocket(context, kind: .pair)
        let quiet = try ZMQSocket(context, kind: .pair)
        try busy.bind("inproc://poller-busy")
        try quiet.bind("inproc://poller-quiet")
        let busyPeer = try ZMQSocket(context, kind: .pair)
        try busyPeer.connect("inproc://poller-busy")

        let poller = ZMQPoller([busy])
        XCTAssertEqual(poller.add(quiet), 1)
        XCTAssertEqual(try poller.poll(timeout: .milliseconds(30)), 0)
        XCTAssertFalse(poller.isReadable(busy))

        XCTAssertTrue(try busyPeer.send([Data("ping")]))
        XCTAssertEqual(try poller.poll(timeout: Wait.delivery), 1)
        XCTAssertTrue(poller.isReadable(busy))
        XCTAssertTrue(poller.isReadable(at: 0))
        XCTAssertFalse(poller.isReadable(quiet))
        XCTAssertFalse(poller.isReadable(busyPeer), "not polled")
        XCTAssertEqual(try busy.receive(timeout: .zero), [Data("ping")])
    }

    func testPollingAClosedSocketThrows() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .pair)
        let poller = ZMQPoller([socket])
        socket.close()
        XCTAssertThrowsError(try poller.poll(timeout: .zero))
    }
}
