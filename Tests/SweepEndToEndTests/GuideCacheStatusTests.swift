import Foundation
import Sweep
import Transport
import Wire
import XCTest

/// The guide cache's hit rate and size where an operator looks: the worker's log after every job, and
/// `guidance status` per worker (real processes on loopback).
final class GuideCacheStatusTests: XCTestCase {
    let run = String(UUID().uuidString.prefix(6))

    /// A worker's counters from its HEARTBEAT reach `guidance status` (text and JSON) through a real coordinator.
    func testStatusShowsEachWorkersGuideCacheFromItsHeartbeats() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let coordinator = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results",
                                               dir.results.path, "--heartbeat-interval", "1"], name: "coordinator", in: dir.root)
        defer { coordinator.kill9() }
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        // A worker of our own on a DEALER: READY with a fresh cache, then heartbeats with counters.
        let context = try ZMQContext()
        let worker = try ZMQSocket(context, kind: .dealer)
        defer { worker.close() }
        let name = "cache-\(run)"
        try worker.set(.routingID(Data(name.utf8)))
        try worker.connect(endpoint)
        let versions = Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version))
        let budget = 2048 * 1_048_576
        XCTAssertTrue(try worker.send(try Message.ready(Ready(worker: name, host: "h", cores: 1, devices: ["cpu"], slots: 0, versions: versions,
                                                              guideCache: GuideCacheStatistics(budgetBytes: budget))).encode(),
                                      mode: .timeout(.seconds(5))))
        let counters = GuideCacheStatistics(hits: 2, misses: 1, entries: 1, bytes: 198 * 1_048_576, budgetBytes: budget)
        let expected = "\(name)  guide cache: 2 hits, 1 miss (67%), 1 entry, 198.0 MiB of 2048.0 MiB, 0 evictions"
        var text = ""
        waitUntil(60, "guidance status shows the worker's guide cache") {
            _ = try? worker.send(try Message.heartbeat(Heartbeat(guideCache: counters)).encode(), mode: .timeout(.seconds(1)))
            while (try? worker.receive(timeout: .zero)) != nil {}
            guard let status = try? GuidanceProcess(["status", "--connect", endpoint], name: "status", in: dir.root),
                  status.waitForExit(timeout: 30) == 0 else { return false }
            text = status.stdout
            return text.contains(expected)
        }
        XCTAssertTrue(text.contains(expected), text)

        let json = try GuidanceProcess(["status", "--connect", endpoint, "--json"], name: "status-json", in: dir.root)
        XCTAssertEqual(json.waitForExit(timeout: 30), 0, json.stderr)
        let reply = try JSONCoding.makeDecoder().decode(StatusReply.self, from: Data(json.stdout.utf8))
        XCTAssertEqual(reply.workers.first { $0.worker == name }?.guideCache, counters)
    }

    /// A real worker running two guided jobs against one guide logs, once per job, the miss then the hit, the bytes
    /// and each tap's form, with its running counters.
    func testTheWorkerLogsEachJobsCacheUse() throws {
        let dir = try SweepDirectory(manifest: """
            name: cache-log
            tasks: [{name: mnist1d, samples: 300}]
            models:
              narrow: {family: fcn, depth: 2, width: 16}
              wide: {family: fcn, depth: 2, width: 24}
              cnn: {family: cnn, depth: 2, channels: 8}
            targets: [narrow, wide]
            guides: [cnn]
            conditions: [guided]
            guide_states: [untrained]
            training: {steps: 3, batch_size: 32, eval_every: 3}
            """)
        defer { dir.remove() }
        let coordinator = try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results",
                                               dir.results.path, "--heartbeat-interval", "1"], name: "coordinator", in: dir.root)
        defer { coordinator.kill9() }
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let worker = try GuidanceProcess(["worker", "--connect", endpoint, "--id", "logger-\(run)", "--threads", "1",
                                          "--heartbeat-interval", "1", "--guide-cache-mib", "64"], name: "worker", in: dir.root)
        XCTAssertEqual(coordinator.waitForExit(timeout: 300), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)
        let lines = worker.stderr.split(separator: "\n").filter { $0.contains(": guide cache ") }
        XCTAssertEqual(lines.count, 2, worker.stderr)
        XCTAssertTrue(lines.first?.contains("guide cache miss (built in") == true, "\(lines)")
        XCTAssertTrue(lines.last?.contains("guide cache hit (built by an earlier job)") == true, "\(lines)")
        for line in lines {
            XCTAssertTrue(line.contains(" MiB for ") && line.contains(" examples; taps "), String(line))
            XCTAssertTrue(line.contains(" activations") || line.contains(" gram"), String(line))
            XCTAssertTrue(line.contains("of 64.0 MiB"), String(line))
        }
        XCTAssertTrue(lines.last?.contains("1 hit, 1 miss (50%), 1 entry") == true, "\(lines)")
        let records = dir.records()
        XCTAssertEqual(records.compactMap(\.guideCache?.shared).count, 2)
        XCTAssertEqual(records.filter { $0.guideCache?.shared == true }.count, 1, "one job built the cache, the other found it")
    }
}
