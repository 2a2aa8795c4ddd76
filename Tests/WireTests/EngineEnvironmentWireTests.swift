import Foundation
import Sweep
import Wire
import XCTest

/// READY and STATUS_REPLY carry the worker's engine environment; peers and records without it still decode.
final class EngineEnvironmentWireTests: XCTestCase {
    let engine = EngineEnvironment(blas: "OpenBLAS", blasVersion: "0.3.21", blasCore: "Cooperlake",
                                   blasCoreReason: "auto: OpenBLAS chose Prescott, this CPU runs Cooperlake", threads: 8,
                                   cpu: "Intel(R) Xeon(R) (family 6, model 207)", atenCapability: "AVX512")
    let versions = Versions(package: "0.1.0", libtorch: "1.13.0", protocol: 1)

    func testReadyAndStatusReplyRoundTripTheEngine() throws {
        let ready = Message.ready(Ready(worker: "w", host: "h", cores: 8, devices: ["cpu"], slots: 1, versions: versions, engine: engine))
        XCTAssertEqual(try Message.decode(try ready.encode()), ready)
        let reply = Message.statusReply(StatusReply(jobs: ["queued": 1], workers: [WorkerStatus(worker: "w", host: "h", slots: 1, leases: [], engine: engine)]))
        XCTAssertEqual(try Message.decode(try reply.encode()), reply)
        let json = String(decoding: try JSONEncoder().encode(engine), as: UTF8.self)
        for key in ["\"blas\"", "\"blas_version\"", "\"blas_core\"", "\"blas_core_reason\"", "\"threads\"", "\"cpu\""] {
            XCTAssertTrue(json.contains(key), "\(key) missing from \(json)")
        }
        XCTAssertEqual(engine.summary, "OpenBLAS 0.3.21 Cooperlake, 8 threads, Intel(R) Xeon(R) (family 6, model 207)")
    }

    func testAnOlderWorkersReadyWithoutEngineDecodes() throws {
        var frames = try Message.ready(Ready(worker: "w", host: "h", cores: 8, devices: ["cpu"], slots: 1, versions: versions, engine: engine)).encode()
        var body = try XCTUnwrap(JSONSerialization.jsonObject(with: frames[2]) as? [String: Any])
        XCTAssertNotNil(body["engine"])
        body["engine"] = nil
        frames[2] = try JSONSerialization.data(withJSONObject: body)
        guard case .ready(let decoded) = try Message.decode(frames) else { return XCTFail("expected READY") }
        XCTAssertNil(decoded.engine)
        XCTAssertEqual(decoded.cores, 8)
    }

    func testARecordWithoutEnvironmentDecodesAndOneWithItRoundTrips() throws {
        let spec = JobSpec(task: TaskSpec(name: "t"), target: ModelSpec(family: "fcn"))
        var record = JobRecord(id: spec.id, spec: spec, status: .ok, worker: WorkerRef(id: "w", host: "h"), versions: versions,
                               device: "cpu", startedAt: Timestamp(secondsSince1970: 1), finishedAt: Timestamp(secondsSince1970: 2))
        let old = try JSONEncoder().encode(record)
        XCTAssertFalse(String(decoding: old, as: UTF8.self).contains("environment"))
        XCTAssertNil(try JSONDecoder().decode(JobRecord.self, from: old).environment)
        record.environment = engine
        XCTAssertEqual(try JSONDecoder().decode(JobRecord.self, from: try JSONEncoder().encode(record)), record)
    }
}
