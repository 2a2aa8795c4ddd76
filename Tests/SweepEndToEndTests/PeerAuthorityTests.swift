import Foundation
import Sweep
import Transport
import Wire
import XCTest

/// Admitted peers that misbehave, against real coordinator and worker processes on loopback: a second allowed
/// key impersonating a worker, a greedy peer hoarding slots, a stranger's RESULT without a lease, a fake
/// coordinator naming files outside a worker's data roots, a manifest name with `../`. Each attack fails and
/// every sweep ends with every job ok.
final class PeerAuthorityTests: XCTestCase {
    let run = String(UUID().uuidString.prefix(6))
    let timing = ["--heartbeat-interval", "0.2", "--retry-backoff", "0.1"]
    func id(_ name: String) -> String { "\(name)-\(run)" }

    func coordinator(_ dir: SweepDirectory, _ extra: [String] = []) throws -> GuidanceProcess {
        try GuidanceProcess(["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.results.path]
                                + timing + extra, name: "coordinator", in: dir.root)
    }

    func worker(_ name: String, _ endpoint: String, _ dir: SweepDirectory, _ extra: [String] = []) throws -> GuidanceProcess {
        try GuidanceProcess(["worker", "--connect", endpoint, "--id", id(name), "--threads", "1", "--heartbeat-interval", "0.2"] + extra,
                            name: "worker-\(name)", in: dir.root)
    }

    /// A raw DEALER peer (the attacker's tool), CURVE when `keyPair` is given.
    func peer(_ context: ZMQContext, _ endpoint: String, routingID: String?, serverKey: CurvePublicKey? = nil,
              keyPair: CurveKeyPair? = nil) throws -> ZMQSocket {
        let socket = try ZMQSocket(context, kind: .dealer)
        if let routingID { try socket.set(.routingID(Data(routingID.utf8))) }
        if let serverKey, let keyPair { try socket.makeCurveClient(serverKey: serverKey, keyPair: keyPair) }
        try socket.connect(endpoint)
        return socket
    }

    /// One STATUS round trip on a fresh socket.
    func status(_ context: ZMQContext, _ endpoint: String, serverKey: CurvePublicKey? = nil, keyPair: CurveKeyPair? = nil) throws -> StatusReply? {
        let socket = try peer(context, endpoint, routingID: nil, serverKey: serverKey, keyPair: keyPair)
        defer { socket.close() }
        guard try socket.send(try Message.status(StatusRequest()).encode(), mode: .timeout(.seconds(10))) else { return nil }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard let frames = try socket.receive(timeout: .milliseconds(200)) else { continue }
            if case .statusReply(let reply)? = try? Message.decode(frames) { return reply }
        }
        return nil
    }

    func assertEveryJobOK(_ dir: SweepDirectory, file: StaticString = #filePath, line: UInt = #line) throws {
        try dir.assertExactlyOneRecordPerJob(file: file, line: line)
        for record in dir.records() {
            XCTAssertEqual(record.status, .ok, "job \(record.id) from \(record.worker.id)", file: file, line: line)
        }
    }

    // MARK: Impersonation

    func testASecondAllowedKeyCannotSeeNorFailAnotherWorkersLeases() throws {
        try XCTSkipUnless(hasCurve(), "libzmq without CURVE")
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 4, sleepMs: 1500))
        defer { dir.remove() }
        let keyDir = dir.root.appendingPathComponent("keys")
        let keys = try GuidanceProcess(["keys", "generate", "--out", keyDir.path, "--workers", "2"], name: "keys", in: dir.root)
        XCTAssertEqual(keys.waitForExit(timeout: 20), 0, keys.stderr)
        let serverKey = try CurveKeyFile.readPublicKey(from: keyDir.appendingPathComponent("coordinator.key"))
        let operatorKeys = try CurveKeyFile.readKeyPair(fromSecretFile: keyDir.appendingPathComponent("coordinator.key_secret"))
        let attackerKeys = try CurveKeyFile.readKeyPair(fromSecretFile: keyDir.appendingPathComponent("worker-2.key_secret"))
        let coordinator = try coordinator(dir, ["--keys", keyDir.path])
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let victim = try worker("victim", endpoint, dir, ["--keys", keyDir.path, "--key", keyDir.appendingPathComponent("worker-1.key_secret").path])
        let context = try ZMQContext()

        // The operator (coordinator.key_secret) sees the victim's leases.
        var leases: [LeaseProgress] = []
        waitUntil(60, "the operator sees the victim's leases") {
            leases = (try? self.status(context, endpoint, serverKey: serverKey, keyPair: operatorKeys))?
                .flatMap { $0.workers.first { $0.worker == self.id("victim") }?.leases } ?? []
            return !leases.isEmpty
        }
        // The other worker key sees the job counts, but neither the victim nor any lease id.
        let attackerView = try XCTUnwrap(try status(context, endpoint, serverKey: serverKey, keyPair: attackerKeys))
        XCTAssertEqual(attackerView.total, 4)
        XCTAssertTrue(attackerView.workers.isEmpty, "\(attackerView.workers)")

        // Knowing them anyway, the attacker takes over the victim's routing id with its own key and fails its leases.
        let attacker = try peer(context, endpoint, routingID: id("victim"), serverKey: serverKey, keyPair: attackerKeys)
        for lease in leases {
            let job = try XCTUnwrap(lease.job)
            XCTAssertTrue(try attacker.send(try Message.failed(FailureReport(lease: lease.lease, job: job, reason: "sabotage", retryable: false)).encode(),
                                            mode: .timeout(.seconds(5))))
        }
        waitUntil(30, "the coordinator refuses the impersonation") {
            coordinator.stderr.contains("refused FAILED from worker id \(self.id("victim")) sent with key \(attackerKeys.publicKey.fingerprint)")
        }
        attacker.close()

        XCTAssertEqual(coordinator.waitForExit(timeout: 120), 0, coordinator.stderr)
        XCTAssertEqual(victim.waitForExit(timeout: 30), 0, victim.stderr)
        try assertEveryJobOK(dir)
        XCTAssertFalse(dir.journal().contains { $0.reason?.contains("sabotage") ?? false })
    }

    // MARK: Slot hoarding

    func testAGreedyPeerIsCappedAndQuarantinedWhileARealWorkerFinishesEveryJob() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 10, sleepMs: 400))
        defer { dir.remove() }
        let coordinator = try coordinator(dir, ["--max-worker-slots", "2", "--quarantine-after", "2", "--quarantine-seconds", "60", "--liveness", "3"])
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let context = try ZMQContext()
        let greedy = try peer(context, endpoint, routingID: id("greedy"))
        defer { greedy.close() }
        let ready = Ready(worker: id("greedy"), host: "greedy", cores: 1_000_000_000, devices: ["cpu"], slots: 1_000_000_000,
                          versions: Versions(package: PackageVersion.current, libtorch: "", protocol: Int(WireProtocol.version)))
        var jobs: Set<LeaseID> = []
        var mostHeld = 0
        var realWorker: GuidanceProcess?
        // The greedy peer keeps offering a billion slots and heartbeating, and never works.
        while coordinator.process.isRunning {
            _ = try greedy.send(try Message.ready(ready).encode(), mode: .dontWait)
            _ = try greedy.send(try Message.heartbeat(Heartbeat()).encode(), mode: .dontWait)
            while let frames = try greedy.receive(timeout: .milliseconds(100)) {
                if case .job(let job)? = try? Message.decode(frames) { jobs.insert(job.lease) }
            }
            if let reply = try status(context, endpoint), let entry = reply.workers.first(where: { $0.worker == id("greedy") }) {
                mostHeld = max(mostHeld, entry.leases.count)
            }
            if realWorker == nil, !jobs.isEmpty { realWorker = try worker("real", endpoint, dir) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(coordinator.waitForExit(timeout: 10), 0, coordinator.stderr)
        XCTAssertEqual(try XCTUnwrap(realWorker).waitForExit(timeout: 30), 0)
        try assertEveryJobOK(dir)
        XCTAssertTrue(dir.records().allSatisfy { $0.worker.id == id("real") })
        XCTAssertGreaterThan(jobs.count, 0)
        XCTAssertLessThanOrEqual(mostHeld, 2, "capped by --max-worker-slots")
        XCTAssertLessThanOrEqual(jobs.count, 3, "two leases, then one after they expired, then quarantine")
        XCTAssertTrue(coordinator.stderr.contains("worker \(id("greedy")) gets no jobs for 60 s"), coordinator.stderr)
    }

    // MARK: Forged results without keys

    func testAStrangersResultWithoutALeaseIsDropped() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 3, sleepMs: 100))
        defer { dir.remove() }
        let coordinator = try coordinator(dir)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let plan = try dir.plan()
        let context = try ZMQContext()
        let stranger = try peer(context, endpoint, routingID: id("stranger"))
        defer { stranger.close() }
        // A RESULT for a job of the plan (its spec is not sent: protocol 2), under a lease nobody was given.
        let forged = JobRecord(id: plan.jobs[0].id, spec: plan.jobs[0].spec, status: .ok, metrics: ["val_accuracy": 0.123],
                               worker: WorkerRef(id: id("stranger"), host: "x"), versions: Versions(package: "x", libtorch: "", protocol: 1),
                               device: "cpu", startedAt: .now(), finishedAt: .now())
        XCTAssertTrue(try stranger.send(try Message.result(ResultReport(lease: LeaseID(rawValue: "Lforged-1"), record: forged), artifact: nil).encode(),
                                        mode: .timeout(.seconds(5))))
        waitUntil(30, "the coordinator drops the stranger's RESULT") { coordinator.stderr.contains("which it does not hold") }
        XCTAssertTrue(dir.records().isEmpty)
        let honest = try worker("honest", endpoint, dir)
        XCTAssertEqual(coordinator.waitForExit(timeout: 60), 0, coordinator.stderr)
        XCTAssertEqual(honest.waitForExit(timeout: 30), 0, honest.stderr)
        try assertEveryJobOK(dir)
        XCTAssertEqual(Set(dir.records().map(\.worker.id)), [id("honest")])
    }

    // MARK: Confined workers

    func testAFakeCoordinatorCannotMakeAWorkerReadOutsideItsDataRootsNorGetFileBytesBack() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let data = dir.root.appendingPathComponent("data")
        let listing = data.appendingPathComponent("idx")
        try FileManager.default.createDirectory(at: listing, withIntermediateDirectories: true)
        let secret = "SECRET-\(run)"
        let outside = dir.root.appendingPathComponent("outside.npy")
        try Data("\(secret)-outside-bytes".utf8).write(to: outside)
        let inside = data.appendingPathComponent("bad.npy")
        try Data("\(secret)-inside-bytes".utf8).write(to: inside)
        try Data().write(to: listing.appendingPathComponent("\(secret)-listed-name.txt"))
        // A symlink inside the root that points outside is outside.
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("link.npy"), withDestinationURL: outside)

        let context = try ZMQContext()
        let fake = try ZMQSocket(context, kind: .router)
        defer { fake.close() }
        try fake.bind("tcp://127.0.0.1:*")
        let endpoint = try fake.lastEndpoint()
        let worker = try worker("confined", endpoint, dir, ["--data-root", data.path])
        var received: [[Data]] = []
        var routing: Data?
        /// Collects what the worker sends, heartbeating it so it stays connected, until `done` holds.
        func pump(_ what: String, _ done: () -> Bool) throws {
            waitUntil(60, what) {
                if let routing { _ = try? fake.send([routing] + (try! Message.heartbeat(Heartbeat()).encode()), mode: .dontWait) }
                while let frames = try? fake.receive(timeout: .milliseconds(100)) {
                    routing = frames[0]
                    received.append(Array(frames.dropFirst()))
                }
                return done()
            }
        }
        func messages() -> [Message] { received.compactMap { try? Message.decode($0) } }
        try pump("the worker says READY") { messages().contains { if case .ready = $0 { true } else { false } } }

        func spec(_ task: String) throws -> JobSpec {
            let yaml = "name: fake\ntasks:\n  - \(task)\ntargets: [{family: fcn, depth: 1, width: 8}]\ntraining: {steps: 1}\n"
            return try XCTUnwrap(Plan(try Manifest.decode(yaml: yaml, file: "fake.yaml")).jobs.first).spec
        }
        let npy = { (path: String) in "{name: npy, train_inputs: \(path), train_labels: \(path), test_inputs: \(path), test_labels: \(path)}" }
        let jobs = [
            ("outside", try spec(npy(outside.path))),
            ("relative-escape", try spec(npy("\(data.path)/../outside.npy"))),
            ("symlink", try spec(npy(data.appendingPathComponent("link.npy").path))),
            ("inside-garbage", try spec(npy(inside.path))),
            ("inside-listing", try spec("{name: idx, path: \(listing.path)}")),
        ]
        for (index, (name, jobSpec)) in jobs.enumerated() {
            let lease = LeaseID(rawValue: "F-\(index)")
            let job = JobAssignment(id: jobSpec.id, spec: jobSpec, lease: lease, attempt: 1, leaseSeconds: 60)
            XCTAssertTrue(try fake.send([try XCTUnwrap(routing)] + (try Message.job(job).encode()), mode: .timeout(.seconds(5))))
            var answer: String?
            try pump("the worker answers job \(name)") {
                for message in messages() {
                    switch message {
                    case .failed(let f) where f.lease == lease: answer = f.reason
                    case .result(let r, _) where r.lease == lease:
                        if case .failed(let error, _) = r.record.status { answer = error } else { answer = "ran: \(r.record.status)" }
                    default: continue
                    }
                }
                return answer != nil
            }
            let text = try XCTUnwrap(answer)
            if index < 3 {
                XCTAssertTrue(text.contains("outside this worker's data roots") && text.contains("--data-root"), "\(name): \(text)")
            } else {
                XCTAssertTrue(text.contains("details") && text.contains("log of worker"), "\(name): \(text)")
            }
        }
        for frames in received {
            for frame in frames {
                XCTAssertNil(frame.range(of: Data(secret.utf8)), "file bytes or names crossed the wire: \(String(decoding: frame.prefix(300), as: UTF8.self))")
            }
        }
        XCTAssertFalse(worker.stderr.contains("\(secret)-outside-bytes"), "the outside file was read")
        _ = try fake.send([try XCTUnwrap(routing)] + (try Message.disconnect(Disconnect(reason: "done")).encode()), mode: .timeout(.seconds(5)))
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)
    }

    // MARK: Paths and files

    func testAManifestNameWithDotDotStaysUnderResults() throws {
        let escape = "escape-\(run)"
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0)
            .replacingOccurrences(of: "name: e2e", with: "name: ../../\(escape)"))
        defer { dir.remove() }
        let cwd = dir.root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = GuidanceProcess.binary
        process.arguments = ["sweep", dir.manifest.path, "--workers", "1", "--quiet"] + timing
        process.currentDirectoryURL = cwd
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let results = try FileManager.default.contentsOfDirectory(atPath: cwd.appendingPathComponent("results").path)
        XCTAssertEqual(results, ["_.._\(escape)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.root.appendingPathComponent(escape).path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.root.appendingPathComponent("results").path))
    }

    func testTheAllowListIsWrittenReadableButNotWritableByOthersAndASharedWritableOneIsRefused() throws {
        try XCTSkipUnless(hasCurve(), "libzmq without CURVE")
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let keyDir = dir.root.appendingPathComponent("keys")
        let keys = Process()
        keys.executableURL = URL(fileURLWithPath: "/bin/sh")
        keys.arguments = ["-c", "umask 000 && exec \"$0\" keys generate --out \"$1\"", GuidanceProcess.binary.path, keyDir.path]
        keys.standardOutput = FileHandle.nullDevice
        try keys.run()
        keys.waitUntilExit()
        XCTAssertEqual(keys.terminationStatus, 0)
        let allowList = keyDir.appendingPathComponent("allowed_workers")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: allowList.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o644, "umask 000 must not make the allow-list writable by others")

        XCTAssertEqual(chmod(allowList.path, 0o666), 0)
        let coordinator = try coordinator(dir, ["--keys", keyDir.path])
        XCTAssertNotEqual(coordinator.waitForExit(timeout: 30), 0)
        XCTAssertTrue(coordinator.stderr.contains("allowed_workers") && coordinator.stderr.contains("writable by group or others"), coordinator.stderr)
    }

    func testInsecureWarnsOnceAtStart() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 0))
        defer { dir.remove() }
        let coordinator = try coordinator(dir, ["--insecure"])
        _ = try XCTUnwrap(coordinator.listeningEndpoint())
        waitUntil(20, "the --insecure warning") { coordinator.stderr.contains("--insecure: traffic on tcp://127.0.0.1:* is plain text") }
        coordinator.kill9()
        XCTAssertEqual(coordinator.stderr.components(separatedBy: "--insecure: traffic").count - 1, 1)
    }
}
