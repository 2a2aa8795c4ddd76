import Coordinator
import Foundation
import Logging
import Store
import Sweep
import Worker
import XCTest

/// A results directory that cannot be written (disk full) in the middle of a sweep: the coordinator stops
/// taking results and handing out jobs, workers keep their results (and their leases alive) and send them
/// again, and once writes work again the sweep ends with every record, exactly once.
final class StoreOutageTests: XCTestCase {
    func testAFullDiskTurnsResultsAwayUntilWritesWorkAgainAndNothingIsLost() throws {
        let yaml = """
        name: outage
        seeds: 8
        tasks: [parity]
        targets: [{family: fcn, depth: 2, width: 16}]
        test: {sleep_ms: 300}
        """
        let plan = Plan(try Manifest.decode(yaml: yaml, file: "outage.yaml"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outage-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fault = StoreWriteFault()
        let logs = LogCapture()

        var options = CoordinatorOptions(bind: "tcp://127.0.0.1:*", heartbeatInterval: .milliseconds(200), tick: .milliseconds(20),
                                         scheduling: SchedulingPolicy(leaseTimeout: .milliseconds(800), backoffBase: .milliseconds(100)))
        options.storeFault = fault
        let endpoint = Box<String>()
        let summary = Box<Result<CoordinatorService.Summary, any Error>>()
        let coordinatorLogger = logs.logger("coordinator")
        Thread { [options] in
            let service = CoordinatorService(plan: plan, manifestYAML: yaml, sweepName: "outage", resultsDirectory: directory,
                                             options: options, logger: coordinatorLogger)
            summary.set(Result { try service.run { endpoint.set($0) } })
        }.start()
        let bound = try XCTUnwrap(endpoint.wait(timeout: 20), "the coordinator did not start")

        let exits = (0..<2).map { _ in Box<WorkerService.Exit>() }
        for (index, exit) in exits.enumerated() {
            let options = WorkerOptions(endpoint: bound, id: "w\(index)", host: "test", slots: 1,
                                        config: WorkerConfig(heartbeatInterval: .milliseconds(200), liveness: 3,
                                                             reconnectInitial: .milliseconds(200), reconnectMaximum: .seconds(1)),
                                        cacheDirectory: directory.appendingPathComponent("cache-\(index)"))
            let workerLogger = logs.logger("w\(index)")
            Thread {
                guard let worker = try? WorkerService(options: options, executor: SimulatedJobExecutor(), logger: workerLogger),
                      let result = try? worker.run() else { return }
                exit.set(result)
            }.start()
        }

        let results = directory.appendingPathComponent("results.jsonl")
        func recordLines() -> [Data] { (FileManager.default.contents(atPath: results.path) ?? Data()).split(separator: 0x0a).map { Data($0) } }
        try waitUntil(20, "a first record") { !recordLines().isEmpty }
        fault.isFailing = true
        try waitUntil(20, "a RESULT turned away and kept by its worker") {
            logs.contains("cannot write") && logs.contains("keeping the result of lease")
        }
        let duringOutage = try Data(contentsOf: results)
        Thread.sleep(forTimeInterval: 1.5)  // several resend rounds while the disk stays full
        XCTAssertEqual(try Data(contentsOf: results), duringOutage, "nothing written while writes fail")
        XCTAssertEqual(duringOutage.last, 0x0a, "no partial line left behind")
        XCTAssertLessThan(recordLines().count, plan.count, "the outage began mid-sweep")
        fault.isFailing = false

        let outcome = try XCTUnwrap(summary.wait(timeout: 40), "the sweep did not finish after the outage")
        XCTAssertTrue(try outcome.get().finished)
        for exit in exits { XCTAssertNotNil(exit.wait(timeout: 10), "a worker did not exit") }
        let records = try ResultStore.open(existing: directory).records()
        XCTAssertEqual(records.map(\.id).count, Set(records.map(\.id)).count, "a job was recorded twice")
        XCTAssertEqual(Set(records.map(\.id)), Set(plan.jobs.map(\.id)))
        XCTAssertTrue(records.allSatisfy { $0.status == .ok })
        XCTAssertTrue(logs.contains("can be written again"))
        // The held results' leases were heartbeated throughout: no job had to run again.
        let requeued = try ResultStore.open(existing: directory).journalEvents().filter { $0.kind == .requeued }
        XCTAssertEqual(requeued.map(\.job), [], "a lease expired while its worker kept the result")
        XCTAssertTrue(try String(contentsOf: directory.appendingPathComponent("results.csv"), encoding: .utf8)
            .split(separator: "\n").count == plan.count + 1, "results.csv has every row after the outage")
    }

    private func waitUntil(_ seconds: Double, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            guard Date() < deadline else { throw Timeout(what) }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private struct Timeout: Error, CustomStringConvertible {
        let description: String
        init(_ what: String) { description = "timed out waiting for \(what)" }
    }
}

/// A value set once by another thread.
final class Box<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    func set(_ value: Value) {
        condition.lock()
        self.value = value
        condition.broadcast()
        condition.unlock()
    }

    func wait(timeout seconds: Double) -> Value? {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while value == nil, condition.wait(until: deadline) {}
        return value
    }
}

/// Log messages of every logger it made, for assertions.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func logger(_ label: String) -> Logger {
        Logger(label: label) { _ in Handler(capture: self) }
    }

    func contains(_ text: String) -> Bool { lock.withLock { lines.contains { $0.contains(text) } } }

    fileprivate func append(_ line: String) { lock.withLock { lines.append(line) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            capture.append("\(level) \(message)")
        }
    }
}
