import Foundation
@testable import Transport
import XCTest

final class ZAPHandlerTests: XCTestCase {
    private let request: (String, Data) -> [Data] = { mechanism, credentials in
        [Data("1.0"), Data("req-9"), Data("guidance"), Data("10.0.0.7"), Data(), Data(mechanism), credentials]
    }

    func testAnswersFollowTheAllowList() throws {
        let allowed = try CurveKeyPair.generate().publicKey
        let other = try CurveKeyPair.generate().publicKey

        let (ok, accepted) = ZAPRequest.answer(request("CURVE", allowed.bytes), allowed: [allowed])
        XCTAssertEqual(ok[0...2], [Data("1.0"), Data("req-9"), Data("200")])
        XCTAssertEqual(ok.count, 6)
        XCTAssertEqual(accepted, .accepted(ZAPPeer(address: "10.0.0.7", mechanism: "CURVE", domain: "guidance",
                                                   publicKey: allowed)))

        let (no, refused) = ZAPRequest.answer(request("CURVE", other.bytes), allowed: [allowed])
        XCTAssertEqual(no[2], Data("400"))
        guard case .refused(let peer, _) = refused else { return XCTFail("\(refused)") }
        XCTAssertEqual(peer.fingerprint, String(other.z85.prefix(8)))
    }

    func testNonCurveAndMalformedRequestsAreRefused() {
        var frames = request("NULL", Data())
        frames.removeLast()
        XCTAssertEqual(ZAPRequest.answer(frames, allowed: []).reply[2], Data("400"))
        XCTAssertEqual(ZAPRequest.answer(request("CURVE", Data(count: 31)), allowed: []).reply[2], Data("500"))
        let (reply, event) = ZAPRequest.answer([Data("2.0")], allowed: [])
        XCTAssertEqual(reply[2], Data("500"))
        guard case .refused(_, let reason) = event else { return XCTFail("\(event)") }
        XCTAssertTrue(reason.contains("malformed"), reason)
    }

    func testStopReturnsPromptlyAndIsIdempotent() throws {
        let context = try ZMQContext()
        let handler = try ZAPHandler(context: context, allowedKeys: [])
        XCTAssertTrue(handler.isRunning)
        let clock = ContinuousClock()
        let elapsed = clock.measure { handler.stop() }
        XCTAssertLessThan(elapsed, .seconds(2))
        XCTAssertFalse(handler.isRunning)
        handler.stop()
        // The endpoint is free again: a new handler can start in the same context.
        let next = try ZAPHandler(context: context, allowedKeys: [])
        next.stop()
    }

    func testOnlyOneHandlerPerContext() throws {
        let context = try ZMQContext()
        let first = try ZAPHandler(context: context, allowedKeys: [])
        defer { first.stop() }
        XCTAssertThrowsError(try ZAPHandler(context: context, allowedKeys: [])) { error in
            XCTAssertTrue("\(error)".hasPrefix("inproc://zeromq.zap.01: Address already in use"), "\(error)")
        }
    }

    func testClosingTheContextEndsTheHandlerWithoutHanging() throws {
        let context = try ZMQContext()
        let handler = try ZAPHandler(context: context, allowedKeys: [])
        let closed = DispatchSemaphore(value: 0)
        Thread { context.close(); closed.signal() }.start()
        XCTAssertEqual(closed.wait(timeout: .now() + 5), .success, "zmq_ctx_term hung on the ZAP handler")
        XCTAssertFalse(handler.isRunning)
        let stopped = DispatchSemaphore(value: 0)
        Thread { handler.stop(); stopped.signal() }.start()
        XCTAssertEqual(stopped.wait(timeout: .now() + 5), .success, "stop() hung after context close")
    }
}
