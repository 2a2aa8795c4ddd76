import Foundation
import Store
import Sweep
import XCTest

/// A temporary directory holding one test's manifest, results and process output.
struct SweepDirectory {
    let root: URL
    var results: URL { root.appendingPathComponent("results") }
    var manifest: URL { root.appendingPathComponent("sweep.yaml") }

    init(manifest yaml: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try yaml.write(to: manifest, atomically: true, encoding: .utf8)
    }

    func remove() { if ProcessInfo.processInfo.environment["KEEP_E2E"] == nil { try? FileManager.default.removeItem(at: root) } }

    /// The plan the binary will run (validators do not change ids).
    func plan() throws -> Plan {
        Plan(try Manifest.decode(yaml: String(contentsOf: manifest, encoding: .utf8), file: manifest.path))
    }

    /// Records in results.jsonl, in order (complete lines only).
    func records() -> [JobRecord] { lines("results.jsonl", as: JobRecord.self) }

    func journal() -> [JournalEvent] { lines("journal.jsonl", as: JournalEvent.self) }

    private func lines<T: Decodable>(_ file: String, as type: T.Type) -> [T] {
        guard let data = FileManager.default.contents(atPath: results.appendingPathComponent(file).path) else { return [] }
        let decoder = JSONCoding.makeDecoder()
        return data.split(separator: 0x0a).compactMap { try? decoder.decode(T.self, from: Data($0)) }
    }

    /// Asserts that every planned job has exactly one record and nothing else is recorded.
    func assertExactlyOneRecordPerJob(file: StaticString = #filePath, line: UInt = #line) throws {
        let planned = Set(try plan().jobs.map(\.id))
        let ids = records().map(\.id)
        XCTAssertEqual(ids.count, Set(ids).count, "a job was recorded twice", file: file, line: line)
        XCTAssertEqual(Set(ids), planned, "recorded jobs differ from the plan", file: file, line: line)
    }
}

/// Test-job manifests on a real task and real model families (so registry validation passes).
enum TestManifests {
    /// `seeds` × (baseline fcn, baseline cnn = guide training, guided/trained fcn <- cnn): 3 jobs per seed.
    static func guided(seeds: Int, sleepMs: Int, extraTest: String = "") -> String {
        guided(name: "e2e", seeds: "\(seeds)", guideStates: "[trained]", test: "sleep_ms: \(sleepMs)\(extraTest)")
    }

    /// fcn guided by cnn on parity with the `seeds:` value, guide states and `test:` block given as YAML.
    static func guided(name: String, seeds: String, guideStates: String, test: String) -> String {
        """
        name: \(name)
        seeds: \(seeds)
        tasks: [parity]
        models:
          fcn: {family: fcn, depth: 2, width: 16}
          cnn: {family: cnn}
        targets: [fcn]
        guides: [cnn]
        conditions: [baseline, guided]
        guide_states: \(guideStates)
        test: {\(test)}
        """
    }

    /// `seeds` independent baseline test jobs.
    static func independent(seeds: Int, sleepMs: Int) -> String {
        """
        name: e2e
        seeds: \(seeds)
        tasks: [parity]
        targets: [{family: fcn, depth: 2, width: 16}]
        test: {sleep_ms: \(sleepMs)}
        """
    }
}
