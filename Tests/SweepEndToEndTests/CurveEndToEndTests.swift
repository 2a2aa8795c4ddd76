import Foundation
import Transport
import XCTest

/// `guidance keys generate`, and coordinator/worker/status with `--keys`: only allowed workers get in, a wrong
/// coordinator key gets nowhere, and nothing readable crosses the wire.
final class CurveEndToEndTests: XCTestCase {
    let timing = ["--heartbeat-interval", "0.2", "--retry-backoff", "0.1"]
    let run = String(UUID().uuidString.prefix(6))
    func id(_ name: String) -> String { "\(name)-\(run)" }

    override func setUpWithError() throws {
        try XCTSkipUnless(hasCurve(), "libzmq without CURVE")
    }

    /// Runs `guidance keys generate --out ROOT/NAME [--workers N]` and returns the directory.
    func generateKeys(_ dir: SweepDirectory, _ name: String, workers: Int = 1) throws -> URL {
        let out = dir.root.appendingPathComponent(name)
        let keys = try GuidanceProcess(["keys", "generate", "--out", out.path, "--workers", "\(workers)"], name: "keys-\(name)", in: dir.root)
        XCTAssertEqual(keys.waitForExit(timeout: 20), 0, keys.stderr)
        return out
    }

    func coordinator(_ dir: SweepDirectory, keys: URL?, bind: String = "tcp://127.0.0.1:*") throws -> GuidanceProcess {
        try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", bind, "--results", dir.results.path]
                                + (keys.map { ["--keys", $0.path] } ?? []) + timing, name: "coordinator", in: dir.root)
    }

    func worker(_ name: String, _ endpoint: String, _ dir: SweepDirectory, keyArguments: [String], joinTimeout: Double? = nil) throws -> GuidanceProcess {
        try GuidanceProcess(["worker", "--connect", endpoint, "--id", id(name), "--threads", "1", "--heartbeat-interval", "0.2"]
                                + keyArguments + (joinTimeout.map { ["--join-timeout", "\($0)"] } ?? []),
                            name: "worker-\(name)", in: dir.root)
    }

    func testKeysGenerateWritesPrivateSecretsAndTheAllowList() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let keys = try generateKeys(dir, "keys", workers: 3)
        var workerKeys: [CurvePublicKey] = []
        for name in ["coordinator", "worker-1", "worker-2", "worker-3"] {
            let secret = keys.appendingPathComponent("\(name).key_secret")
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: secret.path)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o777, 0o600, "\(name).key_secret must be private")
            let pair = try CurveKeyFile.readKeyPair(fromSecretFile: secret)
            XCTAssertEqual(try CurveKeyFile.readPublicKey(from: keys.appendingPathComponent("\(name).key")), pair.publicKey)
            if name != "coordinator" { workerKeys.append(pair.publicKey) }
        }
        XCTAssertEqual(Set(workerKeys).count, 3, "each worker has its own pair")
        XCTAssertEqual(try CurveKeyFile.readPublicKeys(from: keys.appendingPathComponent("allowed_workers")), workerKeys)
        XCTAssertFalse(try CurveKeyFile.readPublicKeys(from: keys.appendingPathComponent("allowed_workers"))
            .contains(try CurveKeyFile.readPublicKey(from: keys.appendingPathComponent("coordinator.key"))))

        let again = try GuidanceProcess(["keys", "generate", "--out", keys.path], name: "keys-again", in: dir.root)
        XCTAssertNotEqual(again.waitForExit(timeout: 20), 0, "existing keys are not overwritten without --force")
        XCTAssertTrue(again.stderr.contains("coordinator.key_secret") && again.stderr.contains("already exists"), again.stderr)
    }

    func testOnlyAllowedWorkersJoinAndAWrongCoordinatorKeyGetsNowhere() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 2, sleepMs: 50))
        defer { dir.remove() }
        let keys = try generateKeys(dir, "keys", workers: 2)
        let other = try generateKeys(dir, "other")  // a second, unrelated set: its keys are on no list
        let coordinator = try coordinator(dir, keys: keys)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())

        // A worker key not on the allow-list (right coordinator key): refused by ZAP, logged with its fingerprint.
        let stranger = try worker("stranger", endpoint, dir, keyArguments: [
            "--keys", other.path, "--coordinator-key", keys.appendingPathComponent("coordinator.key").path], joinTimeout: 2)
        // The right worker key with the wrong coordinator key: the handshake fails, nothing gets through.
        let misled = try worker("misled", endpoint, dir, keyArguments: [
            "--keys", other.path, "--key", keys.appendingPathComponent("worker-2.key_secret").path], joinTimeout: 2)
        // No keys at all against a CURVE coordinator.
        let plain = try worker("plain", endpoint, dir, keyArguments: [], joinTimeout: 2)
        // Meanwhile (each process takes a while to start): status with and without keys.
        let withKeys = try GuidanceProcess(["status", "--connect", endpoint, "--keys", keys.path], name: "status", in: dir.root)
        let withoutKeys = try GuidanceProcess(["status", "--connect", endpoint, "--timeout", "1"], name: "status-plain", in: dir.root)
        for refused in [stranger, misled, plain] {
            XCTAssertEqual(refused.waitForExit(timeout: 20), 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("no answer from \(endpoint)"), refused.stderr)
        }
        XCTAssertTrue(stranger.stderr.contains("coordinator.key the right one"), stranger.stderr)
        let strangerKey = try CurveKeyFile.readPublicKey(from: other.appendingPathComponent("worker.key"))
        XCTAssertTrue(coordinator.stderr.contains("refused a connection from 127.0.0.1, key \(strangerKey.fingerprint)"), coordinator.stderr)
        XCTAssertEqual(try dir.records().count, 0, "nothing ran yet")

        // status: with keys it gets an answer, without keys none.
        XCTAssertEqual(withKeys.waitForExit(timeout: 20), 0, withKeys.stderr)
        XCTAssertTrue(withKeys.stdout.contains("0/6 jobs"), withKeys.stdout)
        XCTAssertNotEqual(withoutKeys.waitForExit(timeout: 20), 0)
        XCTAssertTrue(withoutKeys.stderr.contains("no answer from \(endpoint)"), withoutKeys.stderr)

        let honest = try worker("honest", endpoint, dir, keyArguments: ["--keys", keys.path, "--key", keys.appendingPathComponent("worker-1.key_secret").path])
        XCTAssertEqual(coordinator.waitForExit(timeout: 60), 0, coordinator.stderr)
        XCTAssertEqual(honest.waitForExit(timeout: 20), 0, honest.stderr)
        try dir.assertExactlyOneRecordPerJob()
        XCTAssertEqual(Set(dir.records().map(\.worker.id)), [id("honest")], "no record from a refused peer")
        XCTAssertTrue(coordinator.stderr.contains("authenticated a connection from 127.0.0.1"), coordinator.stderr)
    }

    func testNoPlaintextCrossesTheWireWithKeysWhileItDoesWithout() throws {
        for encrypted in [true, false] {
            let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 1, sleepMs: 50))
            defer { dir.remove() }
            let keys = encrypted ? try generateKeys(dir, "keys") : nil
            let coordinator = try coordinator(dir, keys: keys)
            let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
            let port = try XCTUnwrap(UInt16(endpoint.split(separator: ":").last ?? ""))
            let proxy = try RecordingTCPProxy(upstreamPort: port)
            defer { proxy.stop() }
            let worker = try worker("w", "tcp://127.0.0.1:\(proxy.port)", dir, keyArguments: keys.map { ["--keys", $0.path] } ?? [])
            XCTAssertEqual(coordinator.waitForExit(timeout: 60), 0, coordinator.stderr)
            XCTAssertEqual(worker.waitForExit(timeout: 20), 0, worker.stderr)
            try dir.assertExactlyOneRecordPerJob()
            let wire = proxy.bytes
            XCTAssertGreaterThan(wire.count, 2000, "the jobs went through the proxy")
            // Markers every message or job carries: the frame tag, a JSON key of test jobs, the task name, worker id.
            let markers = ["GDNC", "sleep_ms", "parity", id("w")]
            let found = markers.filter { wire.range(of: Data($0.utf8)) != nil }
            if encrypted {
                XCTAssertEqual(found, [], "plaintext on a CURVE connection")
            } else {
                XCTAssertEqual(found, markers, "control: a plaintext connection shows the markers")
            }
        }
    }
}
