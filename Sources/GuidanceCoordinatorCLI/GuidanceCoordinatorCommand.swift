import ArgumentParser
import CoordinatorCommands
import Sweep

/// The `guidance-coordinator` command line: the coordinator-side commands of `guidance`, linked without libtorch,
/// for a host that serves a sweep to workers elsewhere (docs/CLUSTER.md). Manifests are checked without the model
/// builder (`SchemaSpecValidator`): `guidance plan` on a machine with the full product checks every option value.
@main
struct GuidanceCoordinatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guidance-coordinator",
        abstract: "The coordinator side of guidance, without libtorch: serve a sweep, plan, status, matrices, reports, keys.",
        version: PackageVersion.current,
        subcommands: [
            CoordinatorVersionCommand.self, CoordinatorCommand.self, PlanCommand.self, StatusCommand.self, MatrixCommand.self, RunsCommand.self,
            ReportCommand.self, KeysCommand.self, TasksCommand.self, SettingsCommand.self,
        ]
    )
}
