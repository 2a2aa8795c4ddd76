import ArgumentParser
import Sweep

/// `guidance plan`: validate a manifest and show its jobs, counts and dependency DAG without running anything.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate a manifest and list the jobs it expands to (nothing runs).")

    @OptionGroup var input: ManifestInput
    @Option(help: "List at most this many jobs and edges.") var limit: Int = 200

    func run() throws {
        let loaded = try input.load()
        print("sweep \(loaded.manifest.name)")
        print(loaded.plan.render(limit: limit), terminator: "")
    }
}
