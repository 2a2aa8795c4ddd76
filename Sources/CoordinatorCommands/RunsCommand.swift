public import ArgumentParser
import Foundation
import Report

/// `guidance runs DIR`: each configuration's final metrics seed by seed — the runs under the matrices.
public struct RunsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Show each configuration's final metrics, seed by seed, from a results directory.",
        discussion: """
        One row per group of runs that differ only in seed: target, condition, guide, guide state and the
        settings in which the group differs from the others (guided_steps=300). Per metric: mean ± standard
        error over seeds and every seed's value; n counts the runs that finished. Where the matrices show
        paired differences, this shows each arm's own level: whether a target trained at all.

        "Seeds that train" uses the manifest's trains_if thresholds, or --trains-if (repeatable, raw units:
        accuracies as fractions). Seeds that diverged or failed are counted, never averaged.

        Examples:
          guidance runs results/sweep
          guidance runs results/sweep --metric train_accuracy --metric test_accuracy --trains-if train_accuracy=0.5
          guidance runs results/sweep --format md --out runs.md
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, md, csv, json
    }

    @Argument(help: "Results directory of a sweep.") var directory: String
    @Option(help: "Task (default: every task).") var task: String?
    @Option(help: "A final metric to show (repeatable; default: the primary metric and its train_ counterpart).")
    var metric: [String] = []
    @Option(name: .customLong("trains-if"), help: "METRIC=VALUE: a seed trains when it reaches VALUE (repeatable; replaces the manifest's trains_if).")
    var trainsIf: [String] = []
    @Option(help: "table, md, csv or json.") var format: Format = .table
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(name: .customLong("ignore-manifest"), help: "Show records even if they are not jobs of the stored manifest.")
    var ignoreManifest = false

    public init() {}

    /// `--trains-if` as thresholds; nil when not given (the manifest's then count).
    func thresholds() throws -> [String: Double]? {
        guard !trainsIf.isEmpty else { return nil }
        var thresholds: [String: Double] = [:]
        for item in trainsIf {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let value = Double(parts[1]), value.isFinite else {
                throw CLIError("--trains-if \(item): write METRIC=VALUE in the metric's raw units, e.g. train_accuracy=0.5")
            }
            thresholds[parts[0]] = value
        }
        return thresholds
    }

    public func run() throws {
        let thresholds = try thresholds()
        let results = try SweepResults.load(directory: URL(fileURLWithPath: directory), checkManifest: !ignoreManifest)
        for note in results.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let index = RecordIndex(records: results.records, manifest: results.manifest)
        if let thresholds {
            let recorded = Set(index.taskNames.flatMap(index.metrics(forTask:)))
            for name in thresholds.keys where !recorded.contains(name) {
                throw CLIError("--trains-if \(name): no record has that metric (recorded: \(recorded.sorted().joined(separator: ", ")))")
            }
        }
        let groups = try index.runGroups(task: task, metrics: metric.isEmpty ? nil : metric, thresholds: thresholds)
        let used = thresholds ?? index.trainsIf
        let text: String
        switch format {
        case .table: text = RunGroupRenderer.table(groups, thresholds: used)
        case .md: text = RunGroupRenderer.markdown(groups, thresholds: used)
        case .csv: text = RunGroupRenderer.csv(groups)
        case .json: text = try RunGroupRenderer.json(groups)
        }
        try OutputFile.write(text, to: out)
    }
}
