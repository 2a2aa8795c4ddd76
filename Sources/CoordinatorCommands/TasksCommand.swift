public import ArgumentParser
import Tasks

/// `guidance tasks`: every task with its fields and defaults, or one task built from options and summarised.
public struct TasksCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List the tasks with their fields and defaults, or describe one task's data.",
        discussion: """
        Examples:
          guidance tasks
          guidance tasks --describe parity --task-opt max_length=8
          guidance tasks mnist1d
        """
    )

    @Argument(help: "A task to describe (the same as --describe).") var name: String?
    @Option(help: "Build this task and print its sizes, class balance and one example.") var describe: String?
    @Option(name: .customLong("task-opt"), help: "Task field as key=value (repeatable; with --describe).") var taskOptions: [String] = []

    public func validate() throws {
        if let name, let describe, name != describe {
            throw ValidationError("give the task once: either `guidance tasks \(name)` or --describe \(describe)")
        }
        if name == nil && describe == nil && !taskOptions.isEmpty {
            throw ValidationError("--task-opt needs a task: add --describe TASK")
        }
    }

    public init() {}

    public func run() throws {
        guard let task = describe ?? name else {
            print(TaskReport.overview())
            return
        }
        print(try TaskReport.describe(task, options: OptionParsing.options(taskOptions, flag: "--task-opt")))
    }
}
