import ArgumentParser
import Coordinator
import CoordinatorCommands
import Foundation
import Logging
import Store
import Sweep

/// `guidance sweep`: the whole sweep on this machine — an in-process coordinator on a private loopback
/// endpoint, N local worker processes, a live progress display and a summary.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a whole sweep on this machine with local worker processes.",
        discussion: """
        Results go to --results (default results/<sweep name>, the name reduced to letters, digits, ".", "-", "_"); running the same command again resumes an
        interrupted sweep. Logs: <results>/logs/. Ctrl-C drains: running jobs finish or stop, then it exits.
        Failed or diverged jobs are outcomes (recorded); the exit status is non-zero only on errors.
        """)

    @OptionGroup var input: ManifestInput
    @Option(help: "Local worker processes.") var workers: Int = 2
    @Option(help: "Results directory (default: results/<sweep name>).") var results: String?
    @Option(name: .customLong("threads-per-worker"), help: "Engine threads per worker (default: cores / workers).")
    var threadsPerWorker: Int?
    @Option(name: .customLong("guide-cache-mib"),
            help: "Memory per worker for the guide caches its jobs share, in MiB (default: a quarter of RAM per worker; 0: no guide cache).")
    var guideCacheMiB: Int?
    @Flag(help: "No live progress display.") var quiet = false
    @OptionGroup var live: LiveViewOptions
    @Flag(help: "Allow --http on a non-loopback address (the page has no authentication).") var insecure = false
    @OptionGroup var scheduling: SchedulingOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers: use an integer ≥ 1") }
        if let threadsPerWorker, threadsPerWorker < 1 { throw ValidationError("--threads-per-worker: use an integer ≥ 1") }
        if let guideCacheMiB, guideCacheMiB < 0 { throw ValidationError("--guide-cache-mib: use an integer ≥ 0") }
    }

    func run() throws {
        let liveAddress = try live.address(insecure: insecure)
        let loaded = try input.load()
        let directory = URL(fileURLWithPath: results ?? "results/\(SweepDirectoryName.component(loaded.manifest.name))")
        do {
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot write the results directory \(directory.path): \(error.localizedDescription) (choose a directory you can write with --results)")
        }
        try logging.bootstrap(toFile: directory.appendingPathComponent("logs/coordinator.log"))
        let logger = Logger(label: "guidance.sweep")
        let control = CoordinatorControl()
        let interrupted = InterruptFlag()
        let trap = SignalTrap { name in
            logger.notice("\(name): draining")
            interrupted.set()
            control.requestDrain()
        }
        let startedAt = Date()
        let server = try liveAddress.map {
            try LiveReportServer(address: $0, directory: directory, control: control, logger: logger)
        }
        if let server { FileHandle.standardError.write(Data("live report: \(server.url)\n".utf8)) }
        defer {
            server?.finished = true
            server?.stop()
        }
        var options = scheduling.options(bind: "tcp://127.0.0.1:*")
        options.adaptiveSeeds = loaded.adaptive
        let outcome = EmbeddedCoordinator.start(
            plan: loaded.plan, yaml: loaded.yaml, name: loaded.manifest.name, directory: directory,
            options: options, control: control, logger: Logger(label: "guidance.coordinator"))
        guard let endpoint = try outcome.waitForEndpoint() else { throw CLIError("the coordinator did not start") }

        let cores = ProcessInfo.processInfo.activeProcessorCount
        let alreadyDone = control.status.map { ($0.jobs["done"] ?? 0) + ($0.jobs["failed"] ?? 0) == $0.total } ?? false
        let workers = alreadyDone ? 0 : self.workers
        let threads = threadsPerWorker ?? max(1, cores / max(workers, 1))
        let level = logging.logLevel, interval = scheduling.heartbeatInterval, liveness = scheduling.liveness
        let cacheArguments = guideCacheMiB.map { ["--guide-cache-mib", "\($0)"] } ?? []
        let pool = try LocalWorkerPool(count: workers, logDirectory: directory.appendingPathComponent("logs"), logger: logger) { i in
            // The coordinator is this process: its jobs are the user's own manifest, so data may be anywhere.
            ["worker", "--connect", endpoint, "--exit-with-parent", "--data-root", "/", "--slots", "1", "--threads", "\(threads)", "--id", "local-\(i)-\(getpid())",
             "--heartbeat-interval", "\(interval)", "--liveness", "\(liveness)", "--log-level", level] + cacheArguments
        }
        if !quiet { FileHandle.standardError.write(Data("sweep \(loaded.manifest.name): \(loaded.adaptive == nil ? "\(loaded.plan.count) jobs" : "\(loaded.initialPlan.count) jobs to start (adaptive seeds: at most \(loaded.plan.count))"), \(workers) workers × \(threads) threads; results in \(directory.path); coordinator on \(endpoint)\n".utf8)) }
        let view = SweepProgressView()
        while !outcome.waitUntilDone(timeout: .milliseconds(250)) {
            if !interrupted.isSet { pool.superviseOnce() }
            if !quiet, let status = control.status { view.show(status) }
        }
        if !quiet, let status = control.status { view.show(status) }
        pool.shutDown(grace: .seconds(5))
        withExtendedLifetime(trap) {}
        let summary = try outcome.result()
        let records = (try? ResultStore.open(existing: directory).records()) ?? []
        print(SweepEndOutput.text(records: records, plan: loaded.initialPlan, worstCase: loaded.adaptive.map { _ in loaded.plan.count }, results: directory,
                                elapsed: Date().timeIntervalSince(startedAt)))
        if summary.finished, !records.isEmpty {
            print(try SweepEndOutput.matrixAndReport(records: records, results: directory, color: !quiet && isatty(1) != 0))
        }
        if !summary.finished {
            print("interrupted; run the same command again to resume")
            throw ExitCode(130)
        }
    }
}

/// Set once by a signal handler, read by the main loop.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
