import Foundation
import Sweep
import XCTest

/// `--http`: the live report page of a running sweep, in headless Chromium, and its bad input.
final class LiveViewTests: XCTestCase {
    static func executable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// The URL a process printed as `live report: URL` on standard error.
    func liveURL(_ process: GuidanceProcess) -> String? {
        var url: String?
        waitUntil(60, "\(process.name) serves the live report") {
            url = process.stderr.split(separator: "\n").first { $0.hasPrefix("live report: ") }
                .map { String($0.dropFirst("live report: ".count)) }
            return url != nil || !process.process.isRunning
        }
        return url
    }

    /// A page loaded before any record, then left alone in the browser, shows records once they land: its script
    /// swapped in a newer page (the DOM Chromium dumps at the end is not the one it loaded).
    func testPageInChromiumUpdatesWhenARecordLands() throws {
        guard let chromium = Self.executable("chromium") ?? Self.executable("chromium-browser") else {
            throw XCTSkip("chromium is not installed")
        }
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 3, sleepMs: 1000))
        defer { dir.remove() }
        let coordinator = try GuidanceProcess(
            ["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.results.path,
             "--http", "127.0.0.1:0", "--heartbeat-interval", "0.2", "--log-level", "debug"], name: "coordinator", in: dir.root)
        let url = try XCTUnwrap(liveURL(coordinator), coordinator.stderr)
        let endpoint = try XCTUnwrap(coordinator.listeningEndpoint())
        let dom = dir.root.appendingPathComponent("dom.html")
        _ = FileManager.default.createFile(atPath: dom.path, contents: nil)
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium)
        browser.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                             "--user-data-dir=\(dir.root.appendingPathComponent("profile").path)",
                             "--virtual-time-budget=120000", "--dump-dom", url]
        browser.standardOutput = try FileHandle(forWritingTo: dom)
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        defer { if browser.isRunning { browser.terminate() } }
        // The page is loaded and its script waits for records; only then does a worker start.
        waitUntil(90, "the page waits for records") { coordinator.stderr.contains("a page asks for records past version 0") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.results.appendingPathComponent("results.jsonl").path)
                       && !dir.records().isEmpty, "no record before the worker starts")
        let worker = try GuidanceProcess(["worker", "--connect", endpoint, "--id", "live-\(UUID().uuidString.prefix(6))",
                                          "--threads", "1", "--heartbeat-interval", "0.2"], name: "worker", in: dir.root)
        XCTAssertEqual(coordinator.waitForExit(timeout: 180), 0, coordinator.stderr)
        XCTAssertEqual(worker.waitForExit(timeout: 30), 0, worker.stderr)
        let deadline = Date().addingTimeInterval(120)
        while browser.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertFalse(browser.isRunning, "chromium did not finish")
        let html = try String(contentsOf: dom, encoding: .utf8)
        let updates = html.firstMatch(of: /data-updates="(\d+)"/).map { Int($0.1)! } ?? 0
        XCTAssertGreaterThanOrEqual(updates, 1, "the page never swapped in a newer version:\n\(html.prefix(3000))")
        let version = html.firstMatch(of: /data-version="(\d+)"/).map { Int($0.1)! } ?? 0
        XCTAssertGreaterThan(version, 0, "the page still shows no records")
        XCTAssertTrue(html.contains("<h2>Live</h2>"))
        XCTAssertTrue(html.contains("recorded"), "progress shown")
    }

    func testPortInUseIsAnErrorNamingThePortBeforeAnythingRuns() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 2, sleepMs: 10))
        defer { dir.remove() }
        let holder = try GuidanceProcess(
            ["coordinator", dir.manifest.path, "--bind", "tcp://127.0.0.1:*", "--results", dir.root.appendingPathComponent("other").path,
             "--http", "127.0.0.1:0"], name: "holder", in: dir.root)
        let url = try XCTUnwrap(liveURL(holder))
        let port = try XCTUnwrap(url.firstMatch(of: /:(\d+)\//).map { String($0.1) })
        let sweep = try GuidanceProcess(["sweep", dir.manifest.path, "--workers", "1", "--results", dir.results.path,
                                         "--http", "127.0.0.1:\(port)", "--quiet"], name: "sweep", in: dir.root)
        XCTAssertNotEqual(sweep.waitForExit(timeout: 60), 0)
        XCTAssertTrue(sweep.stderr.contains("port \(port)"), sweep.stderr)
        XCTAssertTrue(dir.records().isEmpty, "nothing ran")
        holder.kill9()
    }

    func testNonLoopbackAddressIsRefusedWithoutInsecure() throws {
        let dir = try SweepDirectory(manifest: TestManifests.independent(seeds: 1, sleepMs: 10))
        defer { dir.remove() }
        let sweep = try GuidanceProcess(["sweep", dir.manifest.path, "--results", dir.results.path, "--http", "0.0.0.0:0", "--quiet"],
                                        name: "sweep", in: dir.root)
        XCTAssertNotEqual(sweep.waitForExit(timeout: 60), 0)
        XCTAssertTrue(sweep.stderr.contains("refusing to serve the live report on 0.0.0.0:0"), sweep.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.results.path), "nothing was created")
    }
}
