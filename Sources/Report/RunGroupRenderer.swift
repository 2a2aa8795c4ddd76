import Foundation
import Store
import Sweep

/// `RunGroup`s as rows: an aligned text table, GitHub Markdown, CSV or JSON.
///
/// Text and Markdown show accuracies in percent (one decimal) and other metrics with three decimals: per metric
/// `mean ± se` (standard error over seeds) and the seeds' values in seed order. CSV and JSON keep raw units.
public enum RunGroupRenderer {
    /// Which columns a set of groups needs, decided once: a task column only for several tasks, a setting column
    /// only when some group has one, outcome and train-count columns only when some group has them.
    struct Layout {
        var showsTask: Bool
        var showsSetting: Bool
        var showsOutcomes: Bool
        var showsTrains: Bool
        var metrics: [String]

        init(_ groups: [RunGroup]) {
            showsTask = Set(groups.map(\.task)).count > 1
            showsSetting = groups.contains { !$0.setting.isEmpty }
            showsOutcomes = groups.contains { $0.diverged + $0.failed > 0 }
            showsTrains = groups.contains { $0.trains != nil }
            metrics = groups.first?.metrics.map(\.name) ?? []
        }

        /// The identifying columns, then per metric `mean ± se` and the values per seed, then n, outcomes and
        /// train count.
        var header: [String] {
            var columns = (showsTask ? ["task"] : []) + ["target", "condition", "guide", "guide state"]
            if showsSetting { columns.append("setting") }
            for metric in metrics { columns += [metric, "per seed"] }
            columns.append("n")
            if showsOutcomes { columns.append("diverged/failed") }
            if showsTrains { columns.append("seeds that train") }
            return columns
        }

        /// Indices of the columns that hold numbers (right-aligned in HTML).
        var numericColumns: Set<Int> {
            let first = (showsTask ? 5 : 4) + (showsSetting ? 1 : 0)
            return Set(first..<(first + 2 * metrics.count + 1 + (showsOutcomes ? 1 : 0)))
        }

        func row(_ group: RunGroup) -> [String] {
            var row: [String] = showsTask ? [group.task] : []
            row += [group.target, group.condition.rawValue, group.guide ?? "—", group.guideState?.rawValue ?? "—"]
            if showsSetting { row.append(group.setting) }
            for metric in group.metrics {
                let fraction = MetricDirection.isFraction(metric.name)
                row.append(metric.summary.map { summary in
                    summary.standardError.map { "\(format(summary.mean, fraction)) ± \(format($0, fraction))" }
                        ?? format(summary.mean, fraction)
                } ?? "—")
                row.append(metric.values.map { $0.map { format($0, fraction) } ?? "—" }.joined(separator: ", "))
            }
            row.append(String(group.seeds.count))
            if showsOutcomes { row.append("\(group.diverged)/\(group.failed)") }
            if showsTrains { row.append(group.trains.map { "\($0.trained) of \($0.finished)" } ?? "") }
            return row
        }
    }

    /// Percent with one decimal for fractions, else three decimals.
    static func format(_ value: Double, _ fraction: Bool) -> String {
        fraction ? String(format: "%.1f", value * 100) : String(format: "%.3f", value)
    }

    /// Columns padded to their widest cell, two spaces apart.
    public static func table(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let layout = Layout(groups)
        let rows = [layout.header] + groups.map(layout.row)
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n" + legend(groups, thresholds: thresholds)
    }

    public static func markdown(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let layout = Layout(groups), head = layout.header
        var out = "| " + head.map(MarkdownRenderer.escape).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: head.count) + "\n"
        for group in groups {
            out += "| " + layout.row(group).map(MarkdownRenderer.escape).joined(separator: " | ") + " |\n"
        }
        return out + "\n" + legend(groups, thresholds: thresholds)
    }

    /// An XHTML table (numbers right-aligned), then the legend as a note: the HTML report's "Runs" section.
    public static func html(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let layout = Layout(groups), numeric = layout.numericColumns
        var out = "<table>\n<tr>" + layout.header.map { "<th>\(XML.escape($0))</th>" }.joined() + "</tr>\n"
        for group in groups {
            let cells = layout.row(group).enumerated().map { c, text in
                numeric.contains(c) ? "<td class=\"num\">\(XML.escape(text))</td>" : "<td>\(XML.escape(text))</td>"
            }
            out += "<tr>" + cells.joined() + "</tr>\n"
        }
        return out + "</table>\n<p class=\"note\">\(XML.escape(legend(groups, thresholds: thresholds).trimmingCharacters(in: .newlines)))</p>\n"
    }

    /// What the numbers are, and the thresholds behind "seeds that train".
    static func legend(_ groups: [RunGroup], thresholds: [String: Double]) -> String {
        var text = "Final values; accuracies in percent; mean ± standard error over seeds; per seed in seed order."
        if groups.contains(where: { $0.trains != nil }), !thresholds.isEmpty {
            let rules = thresholds.sorted { $0.key < $1.key }.map { name, value in
                let fraction = MetricDirection.isFraction(name)
                let sign = MetricDirection(metric: name) == .higherIsBetter ? "≥" : "≤"
                return "\(name) \(sign) \(format(value, fraction))\(fraction ? "%" : "")"
            }
            text += " A seed trains when it finishes with " + rules.joined(separator: " and ") + "."
        }
        return text + "\n"
    }

    /// One row per group and metric, raw units (RFC 4180): task, target, condition, guide, guide_state, setting,
    /// metric, n, mean, sd, se, then `seed_<k>` for every seed of any group, diverged, failed, trained, finished.
    public static func csv(_ groups: [RunGroup]) -> String {
        let seeds = Set(groups.flatMap(\.seeds)).sorted()
        var out = CSV.line(["task", "target", "condition", "guide", "guide_state", "setting", "metric", "n", "mean", "sd",
                            "se"] + seeds.map { "seed_\($0)" } + ["diverged", "failed", "trained", "finished"])
        for group in groups {
            for metric in group.metrics {
                let bySeed = Dictionary(zip(group.seeds, metric.values), uniquingKeysWith: { first, _ in first })
                let s = metric.summary
                out += CSV.line(
                    [group.task, group.target, group.condition.rawValue, group.guide ?? "", group.guideState?.rawValue ?? "",
                     group.setting, metric.name, String(s?.count ?? 0), CSVRenderer.number(s?.mean),
                     CSVRenderer.number(s?.standardDeviation), CSVRenderer.number(s?.standardError)]
                    + seeds.map { CSVRenderer.number(bySeed[$0] ?? nil) }
                    + [String(group.diverged), String(group.failed), group.trains.map { String($0.trained) } ?? "",
                       group.trains.map { String($0.finished) } ?? ""])
            }
        }
        return out
    }

    public static func json(_ groups: [RunGroup]) throws -> String {
        let encoder = JSONCoding.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(["groups": groups]), as: UTF8.self) + "\n"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
