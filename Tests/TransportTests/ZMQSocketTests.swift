import Foundation
import Transport
import XCTest

final class ZMQSocketTests: XCTestCase {
    private func boundRouter(_ context: ZMQContext, _ options: ZMQSocketOption...) throws -> (ZMQSocket, String) {
        let router = try ZMQSocket(context, kind: .router)
        for option in options { try router.set(option) }
        try router.bind("tcp://127.0.0.1:*")
        return (router, try router.lastEndpoint())
    }

    private func dealer(_ context: ZMQContext, id: String, to endpoint: String) throws -> ZMQSocket {
        let dealer = try ZMQSocket(context, kind: .dealer)
        try dealer.set(.routingID(Data(id)))
        try dealer.connect(endpoint)
        return dealer
    }

    func testRouterDealerRoundTripCarriesMultipartBinaryFrames() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context, .routerMandatory(true))
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:"), endpoint)
        XCTAssertNotNil(Int(endpoint.split(separator: ":").last ?? ""), "wildcard port resolved: \(endpoint)")
        let worker = try dealer(context, id: "worker-1", to: endpoint)

        let everyByte = Data((0...255).map { UInt8($0) })
        let large = Data((0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        XCTAssertTrue(try worker.send([Data("READY"), Data(), everyByte, large], mode: .timeout(Wait.delivery)))
        let received = try XCTUnwrap(router.receive(timeout: Wait.delivery))
        XCTAssertEqual(received, [Data("worker-1"), Data("READY"), Data(), everyByte, large])

        XCTAssertTrue(try router.send([Data("worker-1"), Data("JOB"), everyByte]))
        let reply = try XCTUnwrap(worker.receive(timeout: Wait.delivery))
        XCTAssertEqual(reply, [Data("JOB"), everyByte])

        var frames: [Data] = [Data("stale")]
        XCTAssertTrue(try worker.send([Data("again")]))
        XCTAssertTrue(try router.receive(into: &frames, timeout: Wait.delivery))
        XCTAssertEqual(frames, [Data("worker-1"), Data("again")])
    }

    func testReceiveReturnsNilAfterTheTimeout() throws {
        let context = try ZMQContext()
        let (router, _) = try boundRouter(context)
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertNil(try router.receive(timeout: .milliseconds(80)))
        let elapsed = clock.now - start
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(70))
        XCTAssertLessThan(elapsed, .seconds(3))
        var frames = [Data("x")]
        XCTAssertFalse(try router.receive(into: &frames, timeout: .zero))
        XCTAssertEqual(frames, [])
    }

    func testBindingAnAddressInUseNamesTheEndpointAndTheReason() throws {
        let context = try ZMQContext()
        let (first, endpoint) = try boundRouter(context)
        let second = try ZMQSocket(context, kind: .router)
        XCTAssertThrowsError(try second.bind(endpoint)) { error in
            let zmqError = error as? ZMQError
            XCTAssertEqual(zmqError?.code, EADDRINUSE)
            XCTAssertTrue("\(error)".hasPrefix("\(endpoint): Address already in use"), "\(error)")
        }
        withExtendedLifetime(first) {}  // the first socket must hold the port until here
    }

    func testMalformedEndpointIsAClearError() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .dealer)
        XCTAssertThrowsError(try socket.connect("tcp//missing-colon")) { error in
            XCTAssertTrue("\(error)".hasPrefix("tcp//missing-colon: "), "\(error)")
        }
    }

    func testRouterMandatoryTurnsASendToAnUnknownPeerIntoAnError() throws {
        let context = try ZMQContext()
        let (lenient, _) = try boundRouter(context)
        XCTAssertTrue(try lenient.send([Data("ghost"), Data("lost")], mode: .dontWait), "default: silent drop")

        let (strict, _) = try boundRouter(context, .routerMandatory(true))
        XCTAssertThrowsError(try strict.send([Data("ghost"), Data("lost")], mode: .dontWait)) { error in
            XCTAssertEqual((error as? ZMQError)?.isHostUnreachable, true, "\(error)")
        }
    }

    func testRouterHandoverLetsARestartedWorkerTakeOverItsRoutingID() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context, .routerMandatory(true), .routerHandover(true))
        let before = try dealer(context, id: "w-1", to: endpoint)
        XCTAssertTrue(try before.send([Data("READY"), Data("old")]))
        XCTAssertEqual(try router.receive(timeout: Wait.delivery), [Data("w-1"), Data("READY"), Data("old")])

        let after = try dealer(context, id: "w-1", to: endpoint)  // the old one never said goodbye
        XCTAssertTrue(try after.send([Data("READY"), Data("new")]))
        XCTAssertEqual(try router.receive(timeout: Wait.delivery), [Data("w-1"), Data("READY"), Data("new")])
        XCTAssertTrue(try router.send([Data("w-1"), Data("JOB")]))
        XCTAssertEqual(try after.receive(timeout: Wait.delivery), [Data("JOB")])
        XCTAssertNil(try before.receive(timeout: Wait.silence))
    }

    func testOversizedMessageIsDroppedAndTheReceiverKeepsWorking() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context, .maxMessageSize(bytes: 1024))
        let big = try dealer(context, id: "big", to: endpoint)
        let small = try dealer(context, id: "small", to: endpoint)

        XCTAssertTrue(try big.send([Data(count: 4096)], mode: .timeout(Wait.delivery)))
        var fromBig: [[Data]] = []
        _ = try router.receive(until: { _ in false }, timeout: Wait.silence) { fromBig.append($0) }

        XCTAssertTrue(try small.send([Data("fits")], mode: .timeout(Wait.delivery)))
        let received = try router.receive(until: { $0.first == Data("small") }) { fromBig.append($0) }
        XCTAssertEqual(received, [Data("small"), Data("fits")])
        _ = try router.receive(until: { _ in false }, timeout: Wait.silence) { fromBig.append($0) }
        XCTAssertEqual(fromBig.filter { $0.first == Data("big") }, [], "oversized message must not arrive")
    }

    func testOptionsAreValidatedAndReadBack() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .dealer)
        try socket.set(.routingID(Data("w-7")), .linger(.milliseconds(10)), .sendHighWaterMark(messages: 10),
                       .receiveHighWaterMark(messages: 10), .heartbeatInterval(.seconds(1)),
                       .heartbeatTimeout(.seconds(3)), .heartbeatTTL(.seconds(5)),
                       .reconnectInterval(.milliseconds(100)), .reconnectIntervalMax(.seconds(5)),
                       .immediate(true), .maxMessageSize(bytes: nil))
        XCTAssertEqual(try socket.routingID(), Data("w-7"))
        XCTAssertThrowsError(try socket.set(.routingID(Data([0, 1])))) { error in
            XCTAssertTrue("\(error)".contains("ZMQ_ROUTING_ID"), "\(error)")
        }
        XCTAssertThrowsError(try socket.set(.routingID(Data())))
        XCTAssertThrowsError(try socket.set(.sendHighWaterMark(messages: -1)))
        XCTAssertThrowsError(try socket.send([]))
    }

    func testImmediateDealerWithoutPeerDoesNotQueue() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .dealer)
        try socket.set(.immediate(true))
        try socket.connect("tcp://127.0.0.1:1")  // nothing listens on port 1
        XCTAssertFalse(try socket.send([Data("nobody")], mode: .dontWait))
        XCTAssertFalse(try socket.send([Data("nobody")], mode: .timeout(.milliseconds(20))))
    }

    func testClosedSocketThrowsInsteadOfCrashing() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(context, kind: .pair)
        socket.close()
        socket.close()
        XCTAssertTrue(socket.isClosed)
        XCTAssertThrowsError(try socket.send([Data("x")]))
        XCTAssertThrowsError(try socket.receive(timeout: .zero))
        XCTAssertThrowsError(try socket.bind("inproc://closed"))
    }

    func testUnbindAndDisconnect() throws {
        let context = try ZMQContext()
        let (router, endpoint) = try boundRouter(context)
        let worker = try dealer(context, id: "w", to: endpoint)
        try worker.disconnect(endpoint)
        XCTAssertThrowsError(try worker.disconnect(endpoint)) { error in
            XCTAssertTrue("\(error)".hasPrefix(endpoint), "\(error)")
        }
        try router.unbind(endpoint)
        XCTAssertThrowsError(try router.unbind(endpoint)) { error in
            XCTAssertEqual((error as? ZMQError)?.code, ENOENT, "\(error)")
        }
    }

    func testContextRefusesSocketsAfterClose() throws {
        let context = try ZMQContext()
        context.close()
        context.close()
        XCTAssertThrowsError(try ZMQSocket(context, kind: .pair)) { error in
            XCTAssertEqual((error as? ZMQError)?.isContextTerminated, true)
        }
    }

    func testLibraryReportsVersionAndCurve() {
        XCTAssertGreaterThanOrEqual(zmqVersion(), ZMQVersion(major: 4, minor: 2, patch: 0), "heartbeats need 4.2")
        XCTAssertTrue(hasCurve(), "libzmq3-dev on Debian is built with libsodium")
    }
}
