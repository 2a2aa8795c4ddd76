public import ArgumentParser
import Sweep

/// `guidance plan`: validate a manifest and show its jobs, counts and dependency DAG without running anything.
public struct PlanCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Validate a manifest and list the jobs it expands to (nothing runs).")

    @OptionGroup var input: ManifestInput
    @Option(help: "List at most this many jobs and edges.") var limit: Int = 200

    public init() {}

    public func run() throws {
        let loaded = try input.load()
        print("sweep \(loaded.manifest.name)")
        print(loaded.initialPlan.render(limit: limit), terminator: "")
        if let policy = loaded.manifest.seedPolicy {
            let until: String
            switch policy.until {
            case .decided: until = "its 95% interval excludes 0"
            case .halfWidth(let width): until = "its 95% half-width is at most \(width)"
            }
            print("adaptive seeds: every cell starts with seeds 0..\(policy.initial - 1) and gets one more seed at a time until \(until), at most \(policy.max) seeds (decided on \(policy.metric ?? "the matrix's default metric"))")
            print("worst case: \(loaded.plan.count) jobs" + (loaded.manifest.maxJobs.map { ", capped at max_jobs \($0)" } ?? ""))
        }
    }
}
