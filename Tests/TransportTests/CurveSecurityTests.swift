import Foundation
import Transport
import XCTest

/// CURVE encryption with a ZAP allow-list, end to end on loopback TCP.
final class CurveSecurityTests: XCTestCase {
    private var context: ZMQContext!
    private var serverKeys: CurveKeyPair!
    private var allowed: CurveKeyPair!
    private let events = EventLog<ZAPEvent>()
    private var handler: ZAPHandler!

    override func setUpWithError() throws {
        try XCTSkipUnless(hasCurve(), "libzmq without CURVE")
        context = try ZMQContext()
        serverKeys = try CurveKeyPair.generate()
        allowed = try CurveKeyPair.generate()
        let events = events
        handler = try ZAPHandler(context: context, allowedKeys: [allowed.publicKey]) { events.append($0) }
    }

    override func tearDown() {
        handler?.stop()
        handler = nil
        context = nil
    }

    private func server() throws -> (ZMQSocket, String) {
        let router = try ZMQSocket(context, kind: .router)
        try router.makeCurveServer(secretKey: serverKeys.secretKey)
        try router.set(.routerMandatory(true))
        try router.bind("tcp://127.0.0.1:*")
        return (router, try router.lastEndpoint())
    }

    private func client(id: String, keys: CurveKeyPair, serverKey: CurvePublicKey, to endpoint: String) throws -> ZMQSocket {
        let dealer = try ZMQSocket(context, kind: .dealer)
        try dealer.set(.routingID(Data(id)))
        try dealer.makeCurveClient(serverKey: serverKey, keyPair: keys)
        try dealer.connect(endpoint)
        return dealer
    }

    func testAllowedClientExchangesMessages() throws {
        let (router, endpoint) = try server()
        let worker = try client(id: "good", keys: allowed, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try worker.send([Data("READY"), Data([0, 1, 2])], mode: .timeout(Wait.delivery)))
        XCTAssertEqual(try router.receive(timeout: Wait.delivery), [Data("good"), Data("READY"), Data([0, 1, 2])])
        XCTAssertTrue(try router.send([Data("good"), Data("JOB")]))
        XCTAssertEqual(try worker.receive(timeout: Wait.delivery), [Data("JOB")])

        let accepted = events.wait { if case .accepted = $0 { true } else { false } }
        XCTAssertEqual(accepted, .accepted(ZAPPeer(address: "127.0.0.1", mechanism: "CURVE", domain: "",
                                                   publicKey: allowed.publicKey)))
    }

    func testEveryMessageCarriesTheKeyOfItsConnection() throws {
        let (router, endpoint) = try server()
        router.readUserIDs()
        let second = try CurveKeyPair.generate()
        handler.allowedKeys = [allowed.publicKey, second.publicKey]
        let first = try client(id: "one", keys: allowed, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try first.send([Data("HELLO")], mode: .timeout(Wait.delivery)))
        XCTAssertEqual(try router.receive(timeout: Wait.delivery), [Data("one"), Data("HELLO")])
        XCTAssertEqual(router.receivedUserID, allowed.publicKey.z85)
        // Another key claiming the same routing id is told apart by its key.
        try router.set(.routerHandover(true))
        let other = try client(id: "one", keys: second, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try other.send([Data("HELLO")], mode: .timeout(Wait.delivery)))
        XCTAssertEqual(try router.receive(timeout: Wait.delivery), [Data("one"), Data("HELLO")])
        XCTAssertEqual(router.receivedUserID, second.publicKey.z85)
        // A socket not asked to read user ids reports none.
        let (plain, plainEndpoint) = try server()
        let third = try client(id: "three", keys: allowed, serverKey: serverKeys.publicKey, to: plainEndpoint)
        XCTAssertTrue(try third.send([Data("HELLO")], mode: .timeout(Wait.delivery)))
        XCTAssertNotNil(try plain.receive(timeout: Wait.delivery))
        XCTAssertNil(plain.receivedUserID)
    }

    func testClientNotOnTheAllowListGetsNothingThroughAndIsReported() throws {
        let (router, endpoint) = try server()
        let stranger = try CurveKeyPair.generate()
        let intruder = try client(id: "bad", keys: stranger, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try intruder.send([Data("let me in")]))

        let refusal = events.wait { if case .refused = $0 { true } else { false } }
        guard case .refused(let peer, let reason)? = refusal else { return XCTFail("no refusal reported: \(events.all)") }
        XCTAssertEqual(peer.publicKey, stranger.publicKey)
        XCTAssertEqual(peer.fingerprint, String(stranger.publicKey.z85.prefix(8)))
        XCTAssertEqual(peer.address, "127.0.0.1")
        XCTAssertTrue(reason.contains(peer.fingerprint), reason)

        // An allowed client on the same server still gets through; the stranger never does.
        let worker = try client(id: "good", keys: allowed, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try worker.send([Data("hello")]))
        var senders: [Data] = []
        let fromGood = try router.receive(until: { $0.first == Data("good") }) { senders.append($0[0]) }
        XCTAssertEqual(fromGood, [Data("good"), Data("hello")])
        _ = try router.receive(until: { _ in false }, timeout: Wait.silence) { senders.append($0[0]) }
        XCTAssertFalse(senders.contains(Data("bad")))
        XCTAssertThrowsError(try router.send([Data("bad"), Data("JOB")], mode: .dontWait))
        XCTAssertNil(try intruder.receive(timeout: .zero))
    }

    func testClientWithWrongServerKeyCannotExchangeMessages() throws {
        let (router, endpoint) = try server()
        let impostorServer = try CurveKeyPair.generate()
        let confused = try client(id: "confused", keys: allowed, serverKey: impostorServer.publicKey, to: endpoint)
        XCTAssertTrue(try confused.send([Data("hello?")]))

        let worker = try client(id: "good", keys: allowed, serverKey: serverKeys.publicKey, to: endpoint)
        XCTAssertTrue(try worker.send([Data("hello")]))
        var senders: [Data] = []
        XCTAssertNotNil(try router.receive(until: { $0.first == Data("good") }) { senders.append($0[0]) })
        _ = try router.receive(until: { _ in false }, timeout: Wait.silence) { senders.append($0[0]) }
        XCTAssertFalse(senders.contains(Data("confused")))
        XCTAssertThrowsError(try router.send([Data("confused"), Data("reply")], mode: .dontWait)) { error in
            XCTAssertEqual((error as? ZMQError)?.isHostUnreachable, true, "never became a peer: \(error)")
        }
        XCTAssertNil(try confused.receive(timeout: .zero))
        XCTAssertFalse(events.all.contains { if case .refused = $0 { true } else { false } }, "fails before ZAP")
    }
}
