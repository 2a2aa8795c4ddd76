import Foundation
import Sweep

extension HTMLReport {
    func summarySection(_ s: SweepSummary) -> String {
        var h = "<section id=\"summary\"><h2>Sweep</h2>\n<table class=\"kv\">\n"
        func row(_ key: String, _ value: String) { h += "<tr><th>\(XML.escape(key))</th><td>\(XML.escape(value))</td></tr>\n" }
        if let name = s.name { row("manifest", name) }
        if let hash = s.manifestHash { row("manifest sha256", hash) }
        let progress = s.planned.map { " of \($0) planned" + (s.records < $0 ? " (sweep incomplete)" : "") } ?? ""
        row("records", "\(s.records)\(progress): \(s.ok) ok, \(s.diverged) diverged, \(s.failed) failed")
        row("versions", "package \(s.packageVersions.joined(separator: ", ")); libtorch \(s.libtorchVersions.isEmpty ? "—" : s.libtorchVersions.joined(separator: ", ")); protocol \(s.protocolVersions.map(String.init).joined(separator: ", "))")
        row("hosts", s.hosts.map { "\($0.host) (\($0.jobs))" }.joined(separator: ", "))
        row("devices", s.devices.joined(separator: ", "))
        if !s.engines.isEmpty { row("engines", s.engines.joined(separator: "; ")) }
        row("wall time", "\(SweepSummary.duration(s.elapsedSeconds)) elapsed, \(SweepSummary.duration(s.computeSeconds)) of job time")
        h += "</table>\n"
        for note in results.notes { h += "<p class=\"note\">\(XML.escape(note))</p>\n" }
        for (title, problems) in [("Failed jobs", s.failures), ("Diverged jobs", s.divergences)] where !problems.isEmpty {
            h += "<h3>\(title) (\(problems.count))</h3>\n<table><tr><th>job</th><th>what</th><th>detail</th></tr>\n"
            for p in problems.prefix(200) {
                h += "<tr><td><code>\(XML.escape(p.job))</code></td><td>\(XML.escape(p.summary))</td><td class=\"bad\">\(XML.escape(p.detail))</td></tr>\n"
            }
            h += "</table>\n"
            if problems.count > 200 { h += "<p class=\"note\">… and \(problems.count - 200) more (see results.jsonl)</p>\n" }
        }
        h += failuresByWorkerTable(WorkerFailures.load(directory: URL(fileURLWithPath: results.directory)))
        return h + "</section>\n"
    }

    /// `scales`: one colour scale per metric and comparison across the whole report (`ColorScale.shared`).
    func taskSection(_ t: TaskMatrices, index: Int, scales: [String: ColorScale]) -> String {
        var h = "<section id=\"task-\(index)\"><h2>\(XML.escape(t.task)) · \(XML.escape(t.metric))</h2>\n"
        let groups: [(String, String, [GuidabilityMatrix], Bool)] = [
            ("Guidability", "Improvement of each guided target over the same target's baseline, paired by seed.", t.guidability, true),
            ("Trained minus untrained guide", "The same condition with a trained guide against an untrained one, paired by seed.", t.trainedMinusUntrained, false),
            ("Guidance as initialization vs full guidance", "Guidance for the first steps only (or noise warm-up) against guidance for the whole run.", t.initVersusFull, false),
            ("Distillation vs guidance", "Matching the guide's logits against matching its hidden representations.", t.distillVersusGuided, false),
        ]
        var figure = 0
        for (title, text, matrices, withCurves) in groups where !matrices.isEmpty {
            h += "<h3>\(XML.escape(title))</h3>\n<p class=\"note\">\(XML.escape(text))</p>\n"
            for matrix in matrices {
                figure += 1
                let id = "t\(index)-m\(figure)"
                h += "<figure id=\"\(id)\">\n\(SVGHeatmap(idPrefix: id).render(matrix, standalone: false, scale: scales[ColorScale.key(matrix)]))</figure>\n"
                if withCurves { h += curves(matrix, open: index == 0 && figure == 1) }
            }
        }
        if t.guidability.isEmpty && t.trainedMinusUntrained.isEmpty {
            h += "<p class=\"note\">No guided runs on this task yet.</p>\n"
        }
        return h + "</section>\n"
    }

    /// Per-cell training curves: validation metric and training loss over steps, baseline against the
    /// treatment, each the mean over seeds.
    func curves(_ m: GuidabilityMatrix, open: Bool) -> String {
        let records = builder.index.recordsByID
        var figures = ""
        var count = 0
        for (r, guide) in m.guides.enumerated() {
            for (c, target) in m.targets.enumerated() {
                let cell = m.cells[r][c]
                let treated = cell.treatmentRuns.compactMap { records[$0] }
                guard !treated.isEmpty else { continue }
                let reference = cell.referenceRuns.compactMap { records[$0] }
                count += 1
                figures += "<div class=\"curve\"><h4>\(XML.escape(guide)) → \(XML.escape(target))</h4>"
                for (field, label) in [(\CurvePoint.valMetric, "val metric"), (\CurvePoint.trainLoss, "train loss")] {
                    let series = [
                        SVGLineChart.Series(name: "\(m.comparison.reference.condition.rawValue) (\(reference.count))",
                                            color: "#888888", dashed: true, points: Self.points(MeanCurve(reference, field: field))),
                        SVGLineChart.Series(name: "\(m.comparison.treatment.condition.rawValue) (\(treated.count))",
                                            color: "#0571b0", points: Self.points(MeanCurve(treated, field: field))),
                    ]
                    figures += SVGLineChart(title: label, yLabel: label).render(series)
                }
                figures += "</div>\n"
            }
        }
        guard count > 0 else { return "" }
        return "<details\(open ? " open=\"open\"" : "")><summary>Training curves, \(count) cell(s): mean over seeds</summary>\n<div class=\"curves\">\n\(figures)</div></details>\n"
    }

    static func points(_ curve: MeanCurve) -> [(x: Double, y: Double)] {
        curve.points.map { (Double($0.step), $0.mean) }
    }

    /// Every configuration seed by seed (`guidance runs`): each arm's own level beside the matrices' differences.
    func runsSection() -> String {
        var h = "<section id=\"runs\"><h2>Runs</h2>\n"
        h += "<p class=\"note\">Each configuration's final metrics: mean ± standard error over seeds and every seed's value (<code>guidance runs DIR</code>). The matrices above show differences; this shows whether each target trained at all.</p>\n"
        let index = builder.index
        for task in index.taskNames {
            guard let groups = try? index.runGroups(task: task), !groups.isEmpty else { continue }
            if index.taskNames.count > 1 { h += "<h3>\(XML.escape(task))</h3>\n" }
            h += RunGroupRenderer.html(groups, thresholds: index.trainsIf)
        }
        return h + "</section>\n"
    }

    func consistencySection(_ rows: [ErrorConsistencyRow]) -> String {
        var h = "<section id=\"consistency\"><h2>Error consistency</h2>\n"
        guard !rows.isEmpty else {
            return h + "<p class=\"note\">No run recorded test predictions (set <code>training.record_predictions: true</code> in the manifest).</p></section>\n"
        }
        h += "<p class=\"note\">Cohen's κ between each guided target and its guide's own baseline run (same seed), mean ± standard error over seeds; beside it the unguided target against the same guide. Records hold predicted classes but not labels, so this is κ on <em>predicted labels</em> (agreement of predictions), not κ on correctness (the paper's error consistency).</p>\n"
        h += "<table><tr><th>task</th><th>condition</th><th>guide</th><th>target</th><th>κ guided</th><th>κ unguided</th><th>seeds</th></tr>\n"
        func text(_ s: SampleSummary?) -> String {
            guard let s else { return "—" }
            return String(format: "%.3f", s.mean) + (s.standardError.map { String(format: " ± %.3f", $0) } ?? "")
        }
        for row in rows {
            let arm = row.arm.description + (row.setting.isEmpty ? "" : " [\(row.setting)]")
            h += "<tr><td>\(XML.escape(row.task))</td><td>\(XML.escape(arm))</td><td>\(XML.escape(row.guide))</td><td>\(XML.escape(row.target))</td>"
            h += "<td class=\"num\">\(text(row.guided))</td><td class=\"num\">\(text(row.unguided))</td><td class=\"num\">\(row.guided?.count ?? 0)</td></tr>\n"
        }
        return h + "</table></section>\n"
    }

    func similaritySection(_ tasks: [TaskMatrices]) -> String {
        var h = "<section id=\"similarity\"><h2>Architecture similarity vs guidability</h2>\n"
        guard !similarities.isEmpty else {
            return h + "<p class=\"note\">No similarity measurements were supplied. Pass (guide, target, CKA at initialization) triples to <code>HTMLReport(similarities:)</code> to plot them against each guidability matrix with Spearman's ρ.</p></section>\n"
        }
        var plotted = 0
        h += "<p class=\"note\">Each point is one (guide, target) cell: its similarity against its mean improvement over the baseline; ρ is Spearman's rank correlation over the points.</p>\n<div class=\"scatters\">\n"
        for task in tasks {
            for m in task.guidability {
                let points = m.similarityPoints(similarities)
                guard !points.isEmpty else { continue }
                plotted += 1
                let y = "mean Δ \(m.metric)" + (m.deltaUnit.isEmpty ? "" : " (\(m.deltaUnit))")
                h += "<figure class=\"scatter\">\(SVGScatter(title: m.title, xLabel: "architecture similarity (CKA at initialization)", yLabel: y).render(points))</figure>\n"
            }
        }
        h += "</div>\n"
        if plotted == 0 { h += "<p class=\"note\">None of the supplied (guide, target) pairs has a guidability value yet.</p>\n" }
        return h + "</section>\n"
    }
}
