import Config
import Foundation
import Store
import Sweep
import XCTest

final class ResultStoreTests: XCTestCase {
    func testNewDirectoryGetsManifestAndHash() throws {
        let dir = try temporaryDirectory()
        let store = try ResultStore.open(at: dir.appendingPathComponent("run"), manifestYAML: smallManifest, plan: plan(smallManifest))
        XCTAssertEqual(try String(contentsOf: store.manifestURL, encoding: .utf8), smallManifest)
        let hashLine = try String(contentsOf: store.directory.appendingPathComponent("manifest.sha256"), encoding: .utf8)
        XCTAssertEqual(hashLine, ContentHash.sha256Hex(Data(smallManifest.utf8)) + "  manifest.yaml\n")
        XCTAssertTrue(store.completed.isEmpty)
        XCTAssertTrue(store.recoveryNotes.isEmpty)
    }

    func testJournalBatchesAndReplaysAttempts() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        let job = p.jobs[0].id
        let lease = LeaseID(rawValue: "s-1")
        try store.append([
            JournalEvent(.queued, job: job),
            JournalEvent(.leased, job: job, lease: lease, worker: "w1", attempt: 1),
            JournalEvent(.requeued, job: job, lease: lease, worker: "w1", attempt: 1, reason: "lease expired"),
        ], at: Timestamp(secondsSince1970: 1_700_000_000))
        let lines = try String(contentsOf: store.journalURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].contains(#""event":"leased""#))
        XCTAssertTrue(lines[1].contains(#""time":"2023-11-14T22:13:20.000Z""#))
        XCTAssertEqual(store.failedAttempts[job], 1)
        let reopened = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(reopened.failedAttempts[job], 1)
        XCTAssertEqual(try reopened.journalEvents().map(\.kind), [.queued, .leased, .requeued])
    }

    func testEachJobIsRecordedExactlyOnceAcrossReopens() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        try store.record(record(for: p.jobs[0], artifact: String(repeating: "b", count: 64)))
        XCTAssertThrowsError(try store.record(record(for: p.jobs[0]))) { error in
            XCTAssertEqual(error as? StoreError, .duplicateRecord(p.jobs[0].id))
        }
        let reopened = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(Set(reopened.completed.keys), [p.jobs[0].id])
        XCTAssertEqual(reopened.completed[p.jobs[0].id]?.artifact, String(repeating: "b", count: 64))
        XCTAssertThrowsError(try reopened.record(record(for: p.jobs[0])))
        try reopened.record(record(for: p.jobs[1]))
        XCTAssertEqual(try reopened.records().map(\.id), [p.jobs[0].id, p.jobs[1].id])
    }

    func testTornLastLinesAreCutAwayAndReported() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        do {
            let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
            try store.record(record(for: p.jobs[0]))
            try store.record(record(for: p.jobs[1]))
            try store.append(JournalEvent(.queued, job: p.jobs[0].id))
        }
        let results = dir.appendingPathComponent("results.jsonl")
        let intact = try Data(contentsOf: results)
        let torn = try FileHandle(forWritingTo: results)
        try torn.seekToEnd()
        try torn.write(contentsOf: Data(#"{"id":"abc","spec":{"#.utf8))
        try torn.close()
        let journal = try FileHandle(forWritingTo: dir.appendingPathComponent("journal.jsonl"))
        try journal.seekToEnd()
        try journal.write(contentsOf: Data(repeating: 0, count: 40) + Data("\n".utf8))  // zero-filled block
        try journal.close()

        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(store.recoveryNotes.count, 2, "\(store.recoveryNotes)")
        XCTAssertTrue(store.recoveryNotes.contains { $0.contains("results.jsonl: line 3") })
        XCTAssertEqual(Set(store.completed.keys), [p.jobs[0].id, p.jobs[1].id])
        XCTAssertEqual(try Data(contentsOf: results), intact)
        XCTAssertEqual(try store.journalEvents().count, 1)
        try store.record(record(for: p.jobs[2]))
        XCTAssertEqual(try store.records().count, 3)
    }

    func testCorruptionBeforeTheLastLineIsAnError() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        do {
            let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
            try store.record(record(for: p.jobs[0]))
            try store.record(record(for: p.jobs[1]))
        }
        let results = dir.appendingPathComponent("results.jsonl")
        var text = try String(contentsOf: results, encoding: .utf8)
        text = "garbage\n" + text
        try text.write(to: results, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)) { error in
            guard case .corruptLine(_, let line, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 1)
        }
    }

    func testCSVIsFlatQuotedAndGrowsColumns() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        try store.record(record(for: p.jobs[0], metrics: ["val_accuracy": 0.25, "val_loss": .nan]))
        try store.record(record(for: p.jobs[1], status: .failed(error: "boom, \"bad\"\nline 2", retryable: false), metrics: [:]))
        try store.record(record(for: p.jobs.last!, metrics: ["val_accuracy": 0.5, "test_accuracy": 0.75]))
        let rows = parseCSV(try String(contentsOf: store.csvURL, encoding: .utf8))
        XCTAssertEqual(rows.count, 4)
        let header = rows[0]
        XCTAssertEqual(Array(header.prefix(2)), ["id", "status"])
        XCTAssertTrue(rows.allSatisfy { $0.count == header.count })
        func cell(_ row: Int, _ column: String) -> String? { header.firstIndex(of: column).map { rows[row][$0] } }
        XCTAssertEqual(cell(1, "id"), p.jobs[0].id.rawValue)
        XCTAssertEqual(cell(1, "training.optimizer.lr"), "0.001")
        XCTAssertEqual(cell(1, "target.options.depth"), "4")
        XCTAssertEqual(cell(1, "val_accuracy"), "0.25")
        XCTAssertEqual(cell(1, "val_loss"), "nan")
        XCTAssertEqual(cell(1, "test_accuracy"), "")
        XCTAssertEqual(cell(1, "worker.host"), "node, \"A\"")
        XCTAssertEqual(cell(2, "status"), "failed")
        XCTAssertEqual(cell(2, "status.error"), "boom, \"bad\"\nline 2")
        XCTAssertEqual(cell(3, "test_accuracy"), "0.75")
        XCTAssertEqual(cell(3, "guide_state"), "trained")
        XCTAssertEqual(cell(1, "guide_state"), "")
        // Rebuilt identically from results.jsonl on open.
        let before = try String(contentsOf: store.csvURL, encoding: .utf8)
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(try String(contentsOf: store.csvURL, encoding: .utf8), before)
    }

    /// The record's guide cache use has its own columns: used or why bypassed, shared, size, build time and each
    /// tap's form; empty for jobs without one; the same after the CSV is rebuilt from results.jsonl.
    func testCSVShowsTheGuideCacheUse() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        let guided = p.jobs.filter { $0.spec.guide != nil && $0.spec.condition == .guided }
        XCTAssertGreaterThanOrEqual(guided.count, 2)
        var cached = record(for: guided[0])
        cached.guideCache = GuideCacheUse(used: true, taps: ["layers.1.conv": "gram", "head.pool": "activations"], bytes: 207_618_048,
                                          examples: 3600, shared: true, buildSeconds: 0)
        var bypassed = record(for: guided[1])
        bypassed.guideCache = .bypassed("the guide runs in train mode, \"dropout\"")
        let plain = p.jobs.first { $0.spec.guide == nil }!
        try store.record(cached)
        try store.record(bypassed)
        try store.record(record(for: plain))
        let rows = parseCSV(try String(contentsOf: store.csvURL, encoding: .utf8))
        let header = rows[0]
        func cell(_ row: Int, _ column: String) -> String? { header.firstIndex(of: column).map { rows[row][$0] } }
        XCTAssertEqual(cell(1, "guide_cache.used"), "true")
        XCTAssertEqual(cell(1, "guide_cache.shared"), "true")
        XCTAssertEqual(cell(1, "guide_cache.bytes"), "207618048")
        XCTAssertEqual(cell(1, "guide_cache.examples"), "3600")
        XCTAssertEqual(cell(1, "guide_cache.build_seconds"), "0.0")
        XCTAssertEqual(cell(1, "guide_cache.taps"), "head.pool=activations;layers.1.conv=gram")
        XCTAssertEqual(cell(1, "guide_cache.reason"), "")
        XCTAssertEqual(cell(2, "guide_cache.used"), "false")
        XCTAssertEqual(cell(2, "guide_cache.reason"), "the guide runs in train mode, \"dropout\"")
        XCTAssertEqual(cell(2, "guide_cache.taps"), "")
        XCTAssertEqual(cell(3, "guide_cache.used"), "", "a job without a guide has no cache to speak of")
        let before = try String(contentsOf: store.csvURL, encoding: .utf8)
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(try String(contentsOf: store.csvURL, encoding: .utf8), before)
    }

    func testManifestMayOnlyAddCells() throws {
        let dir = try temporaryDirectory()
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: plan(smallManifest))
        // Same cells, different text (a comment): accepted.
        let commented = "# run 1\n" + smallManifest
        _ = try ResultStore.open(at: dir, manifestYAML: commented, plan: plan(commented))
        // More seeds: extends.
        let extended = commented.replacingOccurrences(of: "seeds: [0, 1]", with: "seeds: [0, 1, 2]")
        let store = try ResultStore.open(at: dir, manifestYAML: extended, plan: plan(extended))
        XCTAssertEqual(try String(contentsOf: store.manifestURL, encoding: .utf8), extended)
        let archived = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("manifest.") && $0.hasSuffix(".yaml") && $0 != "manifest.yaml" }
        XCTAssertEqual(archived.count, 2)
        // A changed depth changes existing cells: refused, and the stored manifest is untouched.
        let changed = extended.replacingOccurrences(of: "depth: 4", with: "depth: 5")
        XCTAssertThrowsError(try ResultStore.open(at: dir, manifestYAML: changed, plan: plan(changed))) { error in
            guard case .manifestChanged(let missing, let examples)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(missing, 6)  // 3 seeds × (fcn baseline + guided); the cnn training jobs are unchanged
            XCTAssertEqual(examples.count, 3)
            XCTAssertTrue(String(describing: error).contains("only add cells"))
        }
        XCTAssertEqual(try String(contentsOf: store.manifestURL, encoding: .utf8), extended)
    }

    func testUnwritableDirectoryGivesAClearError() throws {
        let dir = try temporaryDirectory()
        let file = dir.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        for target in [file, file.appendingPathComponent("run")] {
            XCTAssertThrowsError(try ResultStore.open(at: target, manifestYAML: smallManifest, plan: plan(smallManifest))) { error in
                guard case .unwritable(let path, _)? = error as? StoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, target.path)
                XCTAssertTrue(String(describing: error).contains("cannot write the results directory"))
            }
        }
    }
}

/// A resumed sweep notices a default it relied on having changed since it started.
final class DefaultsChangeTests: XCTestCase {
    private func storedDefaults(_ dir: URL) throws -> [String: ConfigValue] {
        try JSONCoding.makeDecoder().decode([String: ConfigValue].self, from: Data(contentsOf: dir.appendingPathComponent("defaults.json")))
    }

    private func tamper(_ dir: URL, _ key: String, _ value: ConfigValue) throws {
        var table = try storedDefaults(dir)
        table[key] = value
        try JSONCoding.makeEncoder().encode(table).write(to: dir.appendingPathComponent("defaults.json"))
    }

    func testAChangedDefaultOfAUsedFamilyIsRefusedUnlessAccepted() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(try storedDefaults(dir)["model fcn.width"], .int(256))
        // As if the sweep had started when fcn's default width was 128.
        try tamper(dir, "model fcn.width", 128)
        XCTAssertThrowsError(try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)) { error in
            XCTAssertEqual(error as? StoreError, .defaultsChanged(["model fcn.width: 128 → 256"]))
            XCTAssertTrue(String(describing: error).contains("--rerun-changed-defaults"))
        }
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p, acceptChangedDefaults: true)
        XCTAssertEqual(try storedDefaults(dir)["model fcn.width"], .int(256))
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
    }

    /// Training and guidance defaults come from their schemas; one that changed is refused like a model default (a
    /// knob written only when set keeps the ids of jobs that omit it, so nothing else would notice).
    func testAChangedTrainingOrGuidanceDefaultIsRefused() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        XCTAssertEqual(try storedDefaults(dir)["guidance readout"], .string("flat"))
        XCTAssertEqual(try storedDefaults(dir)["training optimizer.lr"], .string("0.001"))
        try tamper(dir, "guidance readout", .string("token-mean"))
        XCTAssertThrowsError(try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)) { error in
            XCTAssertEqual(error as? StoreError, .defaultsChanged(["guidance readout: token-mean → flat"]))
        }
    }

    func testAChangeInAFamilyThePlanDoesNotUseIsNotAChange() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        _ = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        try tamper(dir, "model lstm.hidden", 64)
        XCTAssertNoThrow(try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p))
    }
}

/// Two coordinators on one results directory would both run its jobs and append a second record for each: the
/// writer's lock refuses the second process, names the holder, and is gone once the holder exits.
final class DirectoryLockTests: XCTestCase {
    func testASecondProcessIsRefusedWhileTheFirstHoldsTheDirectory() throws {
        let dir = try temporaryDirectory()
        let p = try plan(smallManifest)
        let store = try ResultStore.open(at: dir, manifestYAML: smallManifest, plan: p)
        // Another process (python's fcntl, the same POSIX lock) tries the lock while this one holds it, then this
        // process lets go and the other one tries again.
        func otherProcessCanLock() throws -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'a')
                try:
                    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('locked')
                except OSError:
                    print('busy')
                """, dir.appendingPathComponent("lock").path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            guard text.contains("locked") || text.contains("busy") else { throw XCTSkip("python3 not usable here: \(text)") }
            return text.contains("locked")
        }
        XCTAssertFalse(try otherProcessCanLock(), "the lock must hold against another process")
        let holder = try String(contentsOf: dir.appendingPathComponent("lock"), encoding: .utf8)
        XCTAssertTrue(holder.contains("pid \(ProcessInfo.processInfo.processIdentifier)"), holder)
        withExtendedLifetime(store) {}
        _ = consume store
        XCTAssertTrue(try otherProcessCanLock(), "the lock must go with its store")
    }

    func testTheRefusalNamesTheDirectoryTheHolderAndWhatToDo() {
        let text = StoreError.inUse(path: "/r/sweep", holder: "pid 42 on host since 2026-12-06").description
        XCTAssertTrue(text.contains("/r/sweep") && text.contains("pid 42") && text.contains("--results"), text)
    }
}
