import Foundation
import Sweep
import XCTest

/// `guidance-coordinator`, the coordinator-side product: it links no libtorch, and it serves a sweep to workers of the
/// full `guidance` product (real processes on loopback, test jobs).
final class CoordinatorProductTests: XCTestCase {
    /// The shared libraries `binary` loads, as the system's loader lists them (`ldd`, or `otool -L` on macOS); skips
    /// the test where neither tool exists.
    func linkedLibraries(_ binary: URL) throws -> String {
        let tools = ["/usr/bin/ldd": [binary.path], "/bin/ldd": [binary.path], "/usr/bin/otool": ["-L", binary.path]]
        guard let (tool, arguments) = tools.sorted(by: { $0.key < $1.key }).first(where: { FileManager.default.isExecutableFile(atPath: $0.key) }) else {
            throw XCTSkip("neither ldd nor otool on this machine: cannot list the libraries \(binary.lastPathComponent) links")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: binary.path), "\(binary.path) is not built")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments.joined(separator: " ")):\n\(output)")
        return output
    }

    func testCoordinatorProductLinksNoLibtorch() throws {
        let coordinator = try linkedLibraries(GuidanceProcess.coordinatorBinary)
        XCTAssertTrue(coordinator.contains("libzmq"), "the listing names the libraries the coordinator does need:\n\(coordinator)")
        for library in ["libtorch", "libc10"] {
            XCTAssertFalse(coordinator.contains(library), "guidance-coordinator links \(library):\n\(coordinator)")
        }
        // The same check finds libtorch in the full product.
        let full = try linkedLibraries(GuidanceProcess.binary)
        XCTAssertTrue(full.contains("libtorch") && full.contains("libc10"), "guidance should link libtorch:\n\(full)")
    }

    func testCoordinatorProductServesASweepToWorkersOfTheFullProduct() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 2, sleepMs: 50))
        defer { dir.remove() }
        // Both products plan the manifest to the same jobs.
        let plans = try [GuidanceProcess.coordinatorBinary, GuidanceProcess.binary].enumerated().map { index, binary in
            let plan = try GuidanceProcess(["plan", dir.manifest.path], name: "plan-\(index)", in: dir.root, executable: binary)
            XCTAssertEqual(plan.waitForExit(timeout: 60), 0, plan.stderr)
            return plan.stdout
        }
        XCTAssertEqual(plans[0], plans[1])
        XCTAssertTrue(plans[0].contains(try dir.plan().jobs[0].id.short), plans[0])

        let coordinator = try GuidanceProcess(
            ["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.results.path, "--heartbeat-interval", "0.2"],
            name: "coordinator", in: dir.root, executable: GuidanceProcess.coordinatorBinary)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let worker = try GuidanceProcess(
            ["worker", "--connect", endpoint, "--id", "full-\(UUID().uuidString.prefix(6))", "--threads", "1", "--heartbeat-interval", "0.2"],
            name: "worker", in: dir.root)
        XCTAssertEqual(coordinator.waitForExit(timeout: 60), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)
        try dir.assertExactlyOneRecordPerJob()
        let records = dir.records()
        XCTAssertEqual(records.count, 6)
        XCTAssertTrue(records.allSatisfy { $0.status == .ok }, "\(records.map(\.status))")
        XCTAssertTrue(coordinator.stdout.contains("sweep finished: 6 done, 0 failed"), coordinator.stdout)

        // The report of the results, from the coordinator product.
        let page = dir.root.appendingPathComponent("report.html")
        let report = try GuidanceProcess(["report", dir.results.path, "--out", page.path], name: "report", in: dir.root,
                                         executable: GuidanceProcess.coordinatorBinary)
        XCTAssertEqual(report.waitForExit(timeout: 60), 0, report.stderr)
        XCTAssertTrue(try String(contentsOf: page, encoding: .utf8).contains("<html"))
    }

    func testBothProductsReportTheSameRelease() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 1))
        defer { dir.remove() }
        let versions = try [GuidanceProcess.coordinatorBinary, GuidanceProcess.binary].enumerated().map { index, binary in
            let version = try GuidanceProcess(["version", "--json"], name: "version-\(index)", in: dir.root, executable: binary)
            XCTAssertEqual(version.waitForExit(timeout: 60), 0, version.stderr)
            let object = try JSONSerialization.jsonObject(with: Data(version.stdout.utf8)) as? [String: Any]
            return try XCTUnwrap(object?["guidance"] as? String, version.stdout)
        }
        XCTAssertEqual(versions[0], versions[1], "cluster/ssh/launch compares these across machines")
    }

    func testCoordinatorProductRefusesAnUnknownModelFieldWithAHint() throws {
        let dir = try SweepDirectory(manifest: TestManifests.guided(seeds: 1, sleepMs: 10)
            .replacingOccurrences(of: "{family: fcn, depth: 2, width: 16}", with: "{family: fcn, dept: 2, width: 16}"))
        defer { dir.remove() }
        let plan = try GuidanceProcess(["plan", dir.manifest.path], name: "plan", in: dir.root, executable: GuidanceProcess.coordinatorBinary)
        XCTAssertNotEqual(plan.waitForExit(timeout: 60), 0)
        XCTAssertTrue(plan.stderr.contains("'dept'") && plan.stderr.contains("depth"), plan.stderr)
    }
}
