import Store

/// Matrices as one CSV table (RFC 4180 quoting), one row per cell plus one per baseline value. Numbers
/// are raw metric units (fractions stay fractions) in Swift's shortest round-trip form.
///
/// Columns: task, metric, direction, treatment, reference, setting, row (`delta` or `baseline`), guide,
/// target, n, mean, sd, se, ci_low, ci_high, won, relative_percent, treatment_diverged, treatment_failed,
/// reference_diverged, reference_failed, missing_metric, pending, marks.
public enum CSVRenderer {
    public static let header = [
        "task", "metric", "direction", "treatment", "reference", "setting", "row", "guide", "target", "n", "mean",
        "sd", "se", "ci_low", "ci_high", "won", "relative_percent", "treatment_diverged", "treatment_failed",
        "reference_diverged", "reference_failed", "missing_metric", "pending", "marks",
    ]

    public static func render(_ matrices: [GuidabilityMatrix]) -> String {
        var out = line(header)
        for m in matrices {
            let common = [m.task, m.metric, m.direction.rawValue, m.comparison.treatment.description,
                          m.comparison.reference.description, m.setting]
            for (c, baseline) in (m.baselines ?? []).enumerated() {
                out += line(common + ["baseline", "", m.targets[c]] + summary(baseline.summary)
                            + ["", "", "", "", String(baseline.diverged), String(baseline.failed), "", "", ""])
            }
            for (r, guide) in m.guides.enumerated() {
                for (c, target) in m.targets.enumerated() {
                    let cell = m.cells[r][c], i = cell.issues
                    out += line(common + ["delta", guide, target] + summary(cell.delta)
                                + [cell.count > 0 ? String(cell.won) : "", number(cell.relativePercent)]
                                + [i.treatmentDiverged, i.treatmentFailed, i.referenceDiverged, i.referenceFailed,
                                   i.missingMetric, i.pending].map(String.init)
                                + [cell.marks.joined(separator: "; ")])
                }
            }
        }
        return out
    }

    private static func summary(_ s: SampleSummary?) -> [String] {
        guard let s else { return ["0", "", "", "", "", ""] }
        return [String(s.count), number(s.mean), number(s.standardDeviation), number(s.standardError),
                number(s.interval?.lowerBound), number(s.interval?.upperBound)]
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return value.description
    }

    /// One row through the project's single RFC 4180 writer.
    static func line(_ cells: [String]) -> String { CSV.line(cells) }
}
