import Coordinator
import Foundation
import Logging
import Sweep
import Transport
import Wire
import XCTest

/// The service's CURVE hook: with keys, only allow-listed workers get answers.
final class CoordinatorServiceCurveTests: XCTestCase {
    func testOnlyAllowListedClientsAreAnswered() throws {
        let server = try CurveKeyPair.generate(), allowed = try CurveKeyPair.generate(), stranger = try CurveKeyPair.generate()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("curve-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = "tasks: [t]\ntargets: [{family: fcn}]\n"
        let plan = makePlan(yaml)
        let control = CoordinatorControl()
        let options = CoordinatorOptions(bind: "tcp://127.0.0.1:*", drainTimeout: .zero,
                                         curve: CurveServerSettings(keyPair: server, allowedWorkers: [allowed.publicKey]))
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let service = CoordinatorService(plan: plan, manifestYAML: yaml, sweepName: "curve", resultsDirectory: directory,
                                             options: options, control: control, logger: Logger(label: "test"))
            _ = try? service.run()
            done.signal()
        }
        thread.start()
        defer {
            control.requestDrain()
            _ = done.wait(timeout: .now() + 10)
        }
        let deadline = Date().addingTimeInterval(10)
        while control.listeningEndpoint == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let endpoint = try XCTUnwrap(control.listeningEndpoint)

        func askStatus(as keys: CurveKeyPair) throws -> StatusReply? {
            let context = try ZMQContext()
            let socket = try ZMQSocket(context, kind: .dealer)
            defer { socket.close() }
            try socket.makeCurveClient(serverKey: server.publicKey, keyPair: keys)
            try socket.connect(endpoint)
            try socket.send(try Message.status(StatusRequest()).encode(), mode: .timeout(.seconds(1)))
            guard let frames = try socket.receive(timeout: .seconds(2)),
                  case .statusReply(let reply) = try Message.decode(frames) else { return nil }
            return reply
        }
        XCTAssertEqual(try askStatus(as: allowed)?.total, 1)
        XCTAssertNil(try askStatus(as: stranger), "a key not on the allow-list gets nothing")
    }
}
