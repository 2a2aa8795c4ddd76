public import ArgumentParser
import Foundation
import Report
import Sweep

/// `guidance report DIR`: the whole sweep as one self-contained HTML file.
public struct ReportCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of a results directory.",
        discussion: """
        Summary (manifest, versions, hosts, wall time, failures), every matrix of each task's primary
        metric with per-cell training curves, error consistency and the manifest, in one file that opens
        in a browser without network. Works while the sweep is still running.

        Example:
          guidance report results/sweep                  # writes results/sweep/report.html
          guidance report results/sweep --out /tmp/r.html
          guidance report results/sweep --similarities cka-at-init.csv   # lines: guide,target,cka
        """
    )

    @Argument(help: "Results directory of a sweep.") var directory: String
    @Option(help: "Output file (default: DIR/report.html).") var out: String?
    @Option(help: "CSV of guide,target,similarity[,task] (e.g. CKA at initialization) to plot against guidability.")
    var similarities: String?
    @Flag(name: .customLong("ignore-manifest"), help: "Report records even if they are not jobs of the stored manifest.")
    var ignoreManifest = false

    public init() {}

    public func run() throws {
        let url = URL(fileURLWithPath: directory)
        let results = try SweepResults.load(directory: url, checkManifest: !ignoreManifest)
        for note in results.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        var similarityValues = SimilarityFile.load(from: url)
        if let path = similarities {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CLIError("--similarities \(path): cannot read the file")
            }
            similarityValues = try ArchitectureSimilarity.parseCSV(text, file: path)
        }
        let html = HTMLReport(results: results, similarities: similarityValues, generatedAt: .now()).render()
        let path = out ?? url.appendingPathComponent("report.html").path
        try OutputFile.write(html, to: path)
        print("wrote \(path) (\(results.records.count) records)")
    }
}
