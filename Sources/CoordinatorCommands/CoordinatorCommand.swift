public import ArgumentParser
import Coordinator
import Foundation
import Logging

/// `guidance coordinator`: serve a sweep's jobs to workers that connect, store results, resume on restart.
public struct CoordinatorCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a sweep's coordinator: hand jobs to connecting workers and store their results.",
        discussion: """
        Workers connect with `guidance worker --connect ENDPOINT`. Restarting on the same --results directory
        resumes: finished jobs are not run again. SIGINT/SIGTERM drains (no new jobs, waits for running ones).
        The bound endpoint is printed on standard output as `listening on ENDPOINT`.
        """)

    @OptionGroup var input: ManifestInput
    @Option(help: "Endpoint to listen on (tcp://127.0.0.1:* picks a free port).") var bind: String = "tcp://127.0.0.1:5555"
    @Option(help: "Results directory (created if needed; an existing one is resumed).") var results: String
    @Option(help: "Key directory from `guidance keys generate`: encrypt all traffic with coordinator.key_secret and let in only the workers in allowed_workers.")
    var keys: String?
    @Flag(help: "Allow listening on a non-loopback address without encryption (no --keys), and --http on one.") var insecure = false
    @OptionGroup var live: LiveViewOptions
    @OptionGroup var scheduling: SchedulingOptions
    @OptionGroup var logging: LoggingOptions

    public init() {}

    public func run() throws {
        try BindPolicy.check(bind, insecure: insecure, encrypted: keys != nil)
        let liveAddress = try live.address(insecure: insecure)
        let curve = try keys.map(KeyDirectory.serverSettings)
        let loaded = try input.load()
        logging.bootstrapToStandardError()
        if insecure && keys == nil {
            Logger(label: "guidance.coordinator").warning("--insecure: traffic on \(bind) is plain text and any peer that reaches it may take jobs and report results (docs/SECURITY.md); use --keys on networks you do not fully trust")
        }
        let control = CoordinatorControl()
        let trap = SignalTrap { name in
            Logger(label: "guidance.coordinator").notice("\(name): draining")
            control.requestDrain()
        }
        let server = try liveAddress.map {
            try LiveReportServer(address: $0, directory: URL(fileURLWithPath: results), control: control,
                                 logger: Logger(label: "guidance.coordinator"))
        }
        if let server { FileHandle.standardError.write(Data("live report: \(server.url)\n".utf8)) }
        defer {
            server?.finished = true
            server?.stop()
        }
        var options = scheduling.options(bind: bind)
        options.curve = curve
        options.adaptiveSeeds = loaded.adaptive
        let service = CoordinatorService(
            plan: loaded.plan, manifestYAML: loaded.yaml, sweepName: loaded.manifest.name,
            resultsDirectory: URL(fileURLWithPath: results), options: options, control: control,
            logger: Logger(label: "guidance.coordinator"))
        let summary = try service.run { endpoint in
            FileHandle.standardOutput.write(Data("listening on \(endpoint)\n".utf8))
        }
        withExtendedLifetime(trap) {}
        let counts = summary.jobs
        if summary.finished {
            print("sweep finished: \(counts["done"] ?? 0) done, \(counts["failed"] ?? 0) failed; results in \(results)")
        } else {
            // Jobs in the sweep without a record (with adaptive seeds, the plan's dormant jobs are not counted).
            let left = counts.values.reduce(0, +) - (counts["done"] ?? 0) - (counts["failed"] ?? 0)
            print("stopped with \(left) job(s) left; run the same command again to resume")
        }
    }
}
