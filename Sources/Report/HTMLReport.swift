import Foundation
public import Sweep

/// The sweep as one self-contained HTML file (inline CSS and SVG, no scripts, no network): summary,
/// every matrix with its training curves, error consistency, architecture similarity vs guidability,
/// and the manifest. Well-formed XML, so it can be checked with an XML parser. Works on a partial store.
public struct HTMLReport: Sendable {
    public var results: SweepResults
    /// Architecture similarities to plot against guidability (empty: the section says how to add them).
    public var similarities: [ArchitectureSimilarity]
    /// Shown in the header; nil leaves it out (deterministic output for tests).
    public var generatedAt: Timestamp?
    let builder: MatrixBuilder

    public init(results: SweepResults, similarities: [ArchitectureSimilarity] = [], generatedAt: Timestamp? = nil) {
        self.results = results
        self.similarities = similarities
        self.generatedAt = generatedAt
        builder = MatrixBuilder(index: RecordIndex(records: results.records, manifest: results.manifest))
    }

    /// The matrices of one task, by report section.
    struct TaskMatrices {
        var task: String
        var metric: String
        var guidability: [GuidabilityMatrix] = []
        var trainedMinusUntrained: [GuidabilityMatrix] = []
        var initVersusFull: [GuidabilityMatrix] = []
        var distillVersusGuided: [GuidabilityMatrix] = []
    }

    /// Every task's matrices on its primary metric.
    func taskMatrices() -> [TaskMatrices] {
        builder.index.taskNames.compactMap { task in
            guard let metric = MetricDirection.primaryMetric(among: builder.index.metrics(forTask: task)) else { return nil }
            func select(_ reference: MatrixQuery.Reference) -> [GuidabilityMatrix] {
                (try? builder.matrices(for: MatrixQuery(task: task, metric: metric, reference: reference))) ?? []
            }
            var out = TaskMatrices(task: task, metric: metric)
            out.guidability = select(.baseline)
            out.trainedMinusUntrained = select(.untrainedGuide)
            let versusFull = select(.fullGuidance)
            out.initVersusFull = versusFull.filter { $0.comparison.treatment.condition != .distill }
            out.distillVersusGuided = versusFull.filter { $0.comparison.treatment.condition == .distill }
            return out
        }
    }

    public func render() -> String {
        let tasks = taskMatrices()
        let title = "Guidance report" + (results.manifest.map { ": \($0.name)" } ?? "")
        var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        h += "<title>\(XML.escape(title))</title>\n<style>\n\(Self.css)</style>\n</head>\n<body>\n"
        h += "<header><h1>\(XML.escape(title))</h1>"
        var sub: [String] = []
        if let hash = results.manifestHash { sub.append("manifest sha256 \(hash.prefix(16))…") }
        if !results.directory.isEmpty { sub.append(results.directory) }
        if let generatedAt { sub.append("generated \(generatedAt)") }
        h += "<p class=\"sub\">\(XML.escape(sub.joined(separator: " · ")))</p></header>\n"
        h += toc(tasks)
        h += summarySection(SweepSummary(results))
        let scales = ColorScale.shared(tasks.flatMap { $0.guidability + $0.trainedMinusUntrained + $0.initVersusFull + $0.distillVersusGuided })
        for (i, task) in tasks.enumerated() { h += taskSection(task, index: i, scales: scales) }
        h += runsSection()
        h += consistencySection(builder.errorConsistency())
        h += similaritySection(tasks)
        if let yaml = results.manifestYAML {
            h += "<section id=\"manifest\"><h2>Manifest</h2><pre>\(XML.escape(yaml))</pre></section>\n"
        }
        h += "<footer>Intervals: \(Int((builder.level * 100).rounded()))% Student t with n−1 degrees of freedom over seeds, on differences paired by seed. Δ is sign-normalized: positive means better.</footer>\n"
        return h + "</body>\n</html>\n"
    }

    private func toc(_ tasks: [TaskMatrices]) -> String {
        var h = "<nav><ul><li><a href=\"#summary\">Sweep</a></li>"
        for (i, task) in tasks.enumerated() {
            h += "<li><a href=\"#task-\(i)\">\(XML.escape(task.task)) · \(XML.escape(task.metric))</a></li>"
        }
        h += "<li><a href=\"#runs\">Runs</a></li><li><a href=\"#consistency\">Error consistency</a></li><li><a href=\"#similarity\">Similarity vs guidability</a></li>"
        if results.manifestYAML != nil { h += "<li><a href=\"#manifest\">Manifest</a></li>" }
        return h + "</ul></nav>\n"
    }

    public static let css = """
    body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1180px; padding: 0 16px 40px; }
    header h1 { margin: 18px 0 2px; font-size: 24px; }
    .sub { color: #666; margin: 0 0 8px; font-size: 13px; }
    nav ul { list-style: none; padding: 6px 0; margin: 0 0 8px; border-bottom: 1px solid #ddd; }
    nav li { display: inline-block; margin-right: 14px; font-size: 13px; }
    a { color: #0571b0; text-decoration: none; }
    h2 { border-bottom: 2px solid #0571b0; padding-bottom: 3px; margin-top: 30px; font-size: 20px; }
    h3 { margin: 22px 0 6px; font-size: 16px; color: #333; }
    table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
    th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
    th { background: #f3f6f9; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.kv th { width: 150px; }
    figure { margin: 8px 0 14px; overflow-x: auto; }
    figcaption { font-size: 12px; color: #555; }
    details { margin: 4px 0 18px; }
    summary { cursor: pointer; color: #0571b0; font-size: 13px; }
    .curves { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 8px; }
    .curve { border: 1px solid #e3e3e3; padding: 4px; }
    .curve h4 { margin: 0 0 2px; font-size: 12px; }
    .scatters { display: flex; flex-wrap: wrap; gap: 8px; }
    .scatters figure { margin: 0; }
    .note { color: #666; font-size: 13px; }
    .bad { color: #ca0020; }
    pre { background: #f6f6f6; padding: 10px; font-size: 12px; overflow-x: auto; }
    footer { margin-top: 30px; color: #777; font-size: 12px; border-top: 1px solid #ddd; padding-top: 8px; }

    """
}
