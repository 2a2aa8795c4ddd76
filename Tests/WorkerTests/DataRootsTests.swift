import Foundation
import Sweep
@testable import Worker
import XCTest

/// Which task data paths a worker may open, and what it may say about them to the coordinator.
final class DataRootsTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("data-roots-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("data/sub"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("data/out"), withDestinationURL: root)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func testPathsResolveBeforeTheyAreCompared() {
        let roots = DataRoots([root.appendingPathComponent("data").path])
        let data = root.appendingPathComponent("data").path
        XCTAssertTrue(roots.contains("\(data)/sub/x.npy"))
        XCTAssertTrue(roots.contains("\(data)/not-yet-there/x.npy"))
        XCTAssertTrue(roots.contains("sub/x.npy", workingDirectory: data))
        XCTAssertFalse(roots.contains("../secret.txt", workingDirectory: data))
        XCTAssertFalse(roots.contains("\(data)/../secret.txt"))
        XCTAssertFalse(roots.contains("\(data)/out/secret.txt"), "a symlink out of the root is outside")
        XCTAssertFalse(roots.contains("\(data)-other/x"), "a sibling sharing the prefix is outside")
        XCTAssertFalse(roots.contains("/etc/passwd"))
        XCTAssertTrue(DataRoots(["/"]).contains("/etc/passwd"))
    }

    func testTheDefaultIsTheEnvironmentElseTheWorkingDirectory() {
        let data = root.appendingPathComponent("data").path
        let listed = DataRoots.fromEnvironment([DataRoots.environmentVariable: "\(data)::/nonexistent-root"], workingDirectory: "/")
        XCTAssertEqual(listed.directories.count, 2)
        XCTAssertTrue(listed.contains("\(data)/x"))
        let cwd = DataRoots.fromEnvironment([:], workingDirectory: data)
        XCTAssertTrue(cwd.contains("x", workingDirectory: data))
        XCTAssertFalse(cwd.contains(root.appendingPathComponent("secret.txt").path, workingDirectory: data))
    }

    func testAJobNamingDataOutsideIsRefusedWithTheRuleAndErrorsAboutDataStayLocal() throws {
        let secret = root.appendingPathComponent("secret.txt").path
        let yaml = "name: t\ntasks:\n  - {name: npy, train_inputs: \(secret), train_labels: \(secret), test_inputs: \(secret), test_labels: \(secret)}\ntargets: [{family: fcn}]\n"
        let spec = try XCTUnwrap(Plan(try Manifest.decode(yaml: yaml, file: "t.yaml")).jobs.first).spec
        XCTAssertEqual(DataRoots.dataPaths(of: spec).map(\.option).sorted(), ["test_inputs", "test_labels", "train_inputs", "train_labels"])
        let refusal = try XCTUnwrap(DataRoots([root.appendingPathComponent("data").path]).refusal(for: spec))
        XCTAssertTrue(refusal.wireDescription.contains("outside this worker's data roots"), refusal.wireDescription)
        let rootName = try XCTUnwrap(refusal.roots.first)
        XCTAssertFalse(refusal.wireDescription.contains(rootName), "the worker's roots stay in its own log")
        XCTAssertTrue(refusal.description.contains(rootName))

        let quoted = "\(secret) has the wrong magic number: expected \\x93NUMPY, found root:x:0:0"
        let safe = WireSafeText.failure(quoted, spec: spec, worker: "w1")
        XCTAssertFalse(safe.contains("root:x"), safe)
        XCTAssertTrue(safe.contains("log of worker w1"), safe)
        XCTAssertEqual(WireSafeText.failure("cuda oom", spec: spec, worker: "w1"), "cuda oom")
        XCTAssertEqual(WireSafeText.failure(String(repeating: "e", count: 5000), spec: spec, worker: "w1").count,
                       WireSafeText.maxCharacters + "… (cut; the full text is in the log of worker w1)".count)
        // Synthetic tasks name no files.
        let synthetic = try XCTUnwrap(Plan(try Manifest.decode(yaml: "name: t\ntasks: [parity]\ntargets: [{family: fcn}]\n", file: "t.yaml")).jobs.first).spec
        XCTAssertTrue(DataRoots.dataPaths(of: synthetic).isEmpty)
        XCTAssertNil(DataRoots([root.path]).refusal(for: synthetic))
    }
}
