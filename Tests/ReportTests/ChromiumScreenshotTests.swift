import Foundation
import Report
import XCTest

/// Renders the HTML report in headless Chromium (without network where `unshare --net` works) and checks
/// that a non-empty PNG comes out. Skipped, with a message, where `chromium` is not installed.
final class ChromiumScreenshotTests: XCTestCase {
    static func executable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a process to completion within `timeout` seconds; returns its exit status (nil if killed).
    static func run(_ path: String, _ arguments: [String], timeout: Double) throws -> Int32? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    func testReportRendersToAPNG() throws {
        guard let chromium = Self.executable("chromium") ?? Self.executable("chromium-browser") else {
            print("ChromiumScreenshotTests: skipped, no `chromium` on PATH (apt-get install chromium)")
            throw XCTSkip("chromium is not installed")
        }
        let dir = try demoSweepDirectory()
        let html = HTMLReport(results: try SweepResults.load(directory: dir)).render()
        let page = dir.appendingPathComponent("report.html"), png = dir.appendingPathComponent("report.png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        var command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                       "--disable-background-networking", "--no-first-run",
                       "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                       "--screenshot=\(png.path)", "--window-size=1200,1600", page.absoluteString]
        // Without network where we may make a namespace (root, or unprivileged user namespaces).
        if let unshare = Self.executable("unshare"), try Self.run(unshare, ["--net", "true"], timeout: 10) == 0 {
            command = [unshare, "--net"] + command
        }
        let status = try Self.run(command[0], Array(command.dropFirst()), timeout: 90)
        XCTAssertEqual(status, 0, "chromium exited with \(status.map(String.init) ?? "a timeout")")
        let data = try Data(contentsOf: png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        XCTAssertGreaterThan(data.count, 20_000, "a rendered page, not a blank image")
        print("ChromiumScreenshotTests: the report rendered to a \(data.count)-byte PNG")
    }
}
