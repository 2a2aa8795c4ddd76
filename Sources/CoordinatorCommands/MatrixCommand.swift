public import ArgumentParser
import Foundation
import Report
import Sweep

/// `guidance matrix DIR`: guidability matrices (or paired-difference matrices) from a results directory.
public struct MatrixCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Show guidability matrices of a results directory.",
        discussion: """
        Rows are guides, columns targets; a cell is the improvement of the guided target over the same
        target's baseline, paired by seed: mean ± 95% interval half-width (Student t, n−1 d.f.), seeds won.
        Positive always means better (for losses and perplexity, lower is better).

        Examples:
          guidance matrix results/sweep
          guidance matrix results/sweep --task mnist1d --metric test_loss --guide-state trained
          guidance matrix results/sweep --condition guided --compare untrained-guide
          guidance matrix results/sweep --task mnist1d --guide-state trained --format svg --out matrix.svg
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json, md, svg
    }

    @Argument(help: "Results directory of a sweep.") var directory: String
    @Option(help: "Task (default: every task).") var task: String?
    @Option(help: "Final metric, e.g. test_accuracy, test_loss (default: each task's primary metric).") var metric: String?
    @Option(help: "guided, guided-init, noise-warmup or distill (default: every one with runs).") var condition: String?
    @Option(name: .customLong("guide-state"), help: "untrained or trained (default: both).") var guideState: String?
    @Option(help: "Reference: baseline, untrained-guide (trained − untrained) or full-guidance (condition − guided).")
    var compare: String = "baseline"
    @Option(help: "table, csv, json, md or svg.") var format: Format = .table
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(name: .customLong("no-color"), help: "No ANSI colours in the table.") var noColor = false
    @Flag(name: .customLong("ignore-manifest"), help: "Report records even if they are not jobs of the stored manifest.")
    var ignoreManifest = false

    func query() throws -> MatrixQuery {
        var query = MatrixQuery(task: task, metric: metric)
        if let condition {
            guard let value = Condition(rawValue: condition), value != .baseline else {
                throw CLIError("--condition \(condition): use one of \(Condition.allCases.filter(\.usesGuide).map(\.rawValue).joined(separator: ", "))")
            }
            query.condition = value
        }
        if let guideState {
            guard let value = GuideState(rawValue: guideState) else { throw CLIError("--guide-state \(guideState): use untrained or trained") }
            query.guideState = value
        }
        guard let reference = MatrixQuery.Reference(rawValue: compare) else {
            throw CLIError("--compare \(compare): use one of \(MatrixQuery.Reference.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        query.reference = reference
        return query
    }

    public init() {}

    public func run() throws {
        let query = try query()
        let results = try SweepResults.load(directory: URL(fileURLWithPath: directory), checkManifest: !ignoreManifest)
        for note in results.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let builder = MatrixBuilder(index: RecordIndex(records: results.records, manifest: results.manifest))
        let matrices = try builder.matrices(for: query)
        let text: String
        switch format {
        case .table:
            let color = !noColor && out == nil && isatty(1) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let width = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 80
            text = TableRenderer(width: max(40, width), color: color).render(matrices)
        case .csv: text = CSVRenderer.render(matrices)
        case .json: text = try JSONRenderer.render(matrices)
        case .md: text = MarkdownRenderer.render(matrices)
        case .svg:
            guard matrices.count == 1 else {
                throw ReportError.needsOneMatrix(format: "--format svg", matrices: matrices.map(\.title))
            }
            text = SVGHeatmap().render(matrices[0])
        }
        try OutputFile.write(text, to: out)
    }
}

/// Writes command output to a file, or standard output when no path is given.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription) (choose a path in a directory you can write)")
        }
    }
}
