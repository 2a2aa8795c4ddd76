import ArgumentParser
import EngineProcess
import Sweep

/// `guidance-bench`: the speed benchmarks behind BENCHMARKS.md, a product of their own so that `guidance` ships none
/// of them. `guidance-bench SUITE` (engine, guidance, data, similarity; `summary FILE...`) is what `scripts/bench`
/// runs; `guidance-bench coordinator` is what `scripts/bench-coordinator` runs. Commands recorded as
/// `guidance bench …` and `guidance bench-coordinator …` are `guidance-bench …` and `guidance-bench coordinator …`
/// now, with the same options and output.
@main
struct GuidanceBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guidance-bench",
        abstract: "Speed benchmarks: engine, guidance, data and similarity suites, their summary, and the coordinator.",
        version: PackageVersion.current,
        subcommands: [BenchCommand.self, CoordinatorBenchCommand.self],
        defaultSubcommand: BenchCommand.self
    )

    static func main() {
        ProcessSetup.prepare()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
