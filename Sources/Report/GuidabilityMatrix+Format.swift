import Foundation

/// How a matrix's numbers are shown: accuracies in percent (differences in percentage points), other
/// metrics in their own units with decimals chosen from the matrix's range.
extension GuidabilityMatrix {
    /// 100 for fractions (shown as %/pp), else 1.
    public var displayScale: Double { isFraction ? 100 : 1 }

    /// Unit of the shown differences: "pp" (percentage points) for fractions, else the metric's own.
    public var deltaUnit: String { isFraction ? "pp" : "" }

    /// Decimals for differences: 1 for percentage points, otherwise by the largest |Δ|.
    var decimals: Int {
        if isFraction { return 1 }
        let m = maxAbsDelta
        return m >= 10 ? 1 : m >= 0.1 || m == 0 ? 2 : 3
    }

    /// `+3.2`, `−0.4` (true minus sign), `0.0`; scaled for display.
    public func formatDelta(_ value: Double) -> String {
        let v = value * displayScale
        let text = String(format: "%.\(decimals)f", abs(v))
        if Double(text) == 0 { return text }
        return (v > 0 ? "+" : "−") + text
    }

    /// An unsigned magnitude (a CI half-width, an SE) scaled for display.
    public func formatMagnitude(_ value: Double) -> String { String(format: "%.\(decimals)f", value * displayScale) }

    /// A metric value: `81.2%` for fractions, else 3 significant decimals.
    public func formatValue(_ value: Double) -> String {
        isFraction ? String(format: "%.1f%%", value * 100) : String(format: abs(value) >= 100 ? "%.1f" : "%.3f", value)
    }

    /// `+3.2 ±1.1`, `+3.2 ±1.1*` (decided: the interval excludes 0), `+3.2` (one seed), or `—` (no pairs).
    public func cellValueText(_ cell: MatrixCell) -> String {
        guard let delta = cell.delta else { return "—" }
        guard let half = delta.halfWidth else { return formatDelta(delta.mean) }
        return "\(formatDelta(delta.mean)) ±\(formatMagnitude(half))" + (cell.isDecided ? "*" : "")
    }

    /// Seeds won of those paired (from 2 pairs on), `k of n train` (with `trains_if`), then the cell's marks:
    /// `4/5 · 1 diverged`, `n=1`, `4/5 · 3 of 5 train`.
    public func cellDetailText(_ cell: MatrixCell) -> String {
        ((cell.count >= 2 ? ["\(cell.won)/\(cell.count)"] : []) + (cell.trains.map { [$0.text] } ?? []) + cell.marks)
            .joined(separator: " · ")
    }

    /// The cell's interval as text: `95% CI [−0.4, +6.8]`, or nil below 2 pairs.
    public func cellIntervalText(_ cell: MatrixCell) -> String? {
        guard let ci = cell.delta?.interval else { return nil }
        return "\(Int((level * 100).rounded()))% CI [\(formatDelta(ci.lowerBound)), \(formatDelta(ci.upperBound))]"
    }

    /// `81.2% ±0.4`, for the baseline row.
    public func baselineText(_ baseline: BaselineSummary) -> String {
        let text = baselineValueText(baseline)
        return baseline.trains.map { "\(text) · \($0.trained)/\($0.finished) train" } ?? text
    }

    func baselineValueText(_ baseline: BaselineSummary) -> String {
        guard let s = baseline.summary else { return "—" }
        guard let se = s.standardError else { return formatValue(s.mean) + " (n=1)" }
        return "\(formatValue(s.mean)) ±\(isFraction ? String(format: "%.1f", se * 100) : String(format: "%.3f", se))"
    }

    /// One sentence saying how to read the cells.
    public var legendText: String {
        let what = comparison.isGuidability ? "over the target's baseline" : "of \(comparison.treatment) over \(comparison.reference)"
        let unit = isFraction ? " in percentage points" : ""
        let pct = Int((level * 100).rounded())
        return "Cell: mean paired improvement \(what)\(unit) (same seed; positive = better, \(direction == .higherIsBetter ? "higher" : "lower") \(metric) is better) ± half-width of the \(pct)% interval (Student t, n−1 d.f.); seeds won/paired; * marks a decided cell (its interval excludes 0), cells without * are drawn muted.\(cells.joined().contains { $0.trains != nil } ? " k of n train: runs reaching the manifest's trains_if thresholds." : "")\(baselines == nil ? "" : " Baseline row: mean ± standard error.")"
    }
}
