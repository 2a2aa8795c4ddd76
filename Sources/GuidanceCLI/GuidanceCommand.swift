import ArgumentParser
import CoordinatorCommands
import EngineProcess
import Guidance
import Sweep

/// The `guidance` command line: thin commands that parse, build a value and call a library.
@main
struct GuidanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guidance",
        abstract: "Guided-learning sweeps: which architecture can guide which.",
        version: PackageVersion.current,
        subcommands: [
            VersionCommand.self, SweepCommand.self, PlanCommand.self, KeysCommand.self, MatrixCommand.self, RunsCommand.self, ReportCommand.self,
            RunCommand.self, CoordinatorCommand.self, WorkerCommand.self, StatusCommand.self, ArchsCommand.self,
            TasksCommand.self, SettingsCommand.self, SimilarityCommand.self,
        ]
    )

    static func main() {
        ProcessSetup.prepare()
        ManifestChecks.validators = [RegistrySpecValidator()]
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
