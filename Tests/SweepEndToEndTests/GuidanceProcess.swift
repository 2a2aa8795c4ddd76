import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A built binary of this package (`guidance`, or `guidance-coordinator`) run as a child process, its output captured
/// in files.
final class GuidanceProcess {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL
    let name: String

    /// `.build/debug/guidance`, next to the test bundle.
    static let binary = built("guidance")
    /// `.build/debug/guidance-coordinator`: the coordinator-side product, linked without libtorch.
    static let coordinatorBinary = built("guidance-coordinator")

    /// The executable product `product` next to the test bundle (else under the package's .build/debug).
    static func built(_ product: String) -> URL {
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        // Package root from this file: Tests/SweepEndToEndTests/GuidanceProcess.swift.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent(product)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { return url }
        }
        return root.appendingPathComponent(".build/debug/\(product)")
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Starts `guidance ARGS` (or `executable ARGS`) with output in `directory/<name>.out|.err`.
    init(_ arguments: [String], name: String, in directory: URL, executable: URL = GuidanceProcess.binary) throws {
        self.name = name
        stdoutURL = directory.appendingPathComponent("\(name).out")
        stderrURL = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "passive"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits for the exit; fails the test (and kills the process) past `timeout`. Returns the exit status.
    @discardableResult
    func waitForExit(timeout: Double, file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            XCTFail("\(name) still running after \(timeout) s; stdout:\n\(stdout.suffix(1000))\nstderr:\n\(stderr.suffix(2000))",
                    file: file, line: line)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for `guidance coordinator` to print its endpoint.
    func listeningEndpoint(timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line) -> String? {
        var endpoint: String?
        waitUntil(timeout, "\(name) prints its endpoint", file: file, line: line) {
            endpoint = self.stdout.split(separator: "\n").first { $0.hasPrefix("listening on ") }
                .map { String($0.dropFirst("listening on ".count)) }
            return endpoint != nil || !self.process.isRunning
        }
        if endpoint == nil { XCTFail("\(name) did not listen:\n\(stderr.suffix(2000))", file: file, line: line) }
        return endpoint
    }
}

/// Polls `condition` every 50 ms until it holds; fails the test past `timeout` seconds.
@discardableResult
func waitUntil(_ timeout: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line,
               _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    if condition() { return true }
    XCTFail("timed out after \(timeout) s waiting until \(what)", file: file, line: line)
    return false
}
