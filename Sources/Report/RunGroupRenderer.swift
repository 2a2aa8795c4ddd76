import Foundation
import Store
import Sweep

/// `RunGroup`s as rows: an aligned text table, GitHub Markdown, CSV or JSON.
///
/// Text and Markdown show accuracies in percent (one decimal) and other metrics with three decimals: per metric
/// `mean ± se` (standard error over seeds) and the seeds' values in seed order. CSV and JSON keep raw units.
public enum RunGroupRenderer {
    /// The identifying columns, then per metric `mean ± se` and the values per seed, then n, outcomes and train count.
    static func header(_ groups: [RunGroup]) -> [String] {
        var columns = identityHeader(groups)
        for metric in groups.first?.metrics.map(\.name) ?? [] { columns += [metric, "per seed"] }
        columns.append("n")
        if groups.contains(where: { $0.diverged + $0.failed > 0 }) { columns.append("diverged/failed") }
        if groups.contains(where: { $0.trains != nil }) { columns.append("seeds that train") }
        return columns
    }

    private static func identityHeader(_ groups: [RunGroup]) -> [String] {
        (Set(groups.map(\.task)).count > 1 ? ["task"] : []) + ["target", "condition", "guide", "guide state"]
            + (groups.contains { !$0.setting.isEmpty } ? ["setting"] : [])
    }

    static func displayRow(_ group: RunGroup, in groups: [RunGroup]) -> [String] {
        var row: [String] = Set(groups.map(\.task)).count > 1 ? [group.task] : []
        row += [group.target, group.condition.rawValue, group.guide ?? "—", group.guideState?.rawValue ?? "—"]
        if groups.contains(where: { !$0.setting.isEmpty }) { row.append(group.setting) }
        for metric in group.metrics {
            let fraction = MetricDirection.isFraction(metric.name)
            row.append(metric.summary.map { summary in
                summary.standardError.map { "\(format(summary.mean, fraction)) ± \(format($0, fraction))" }
                    ?? format(summary.mean, fraction)
            } ?? "—")
            row.append(metric.values.map { $0.map { format($0, fraction) } ?? "—" }.joined(separator: ", "))
        }
        row.append(String(group.seeds.count))
        if groups.contains(where: { $0.diverged + $0.failed > 0 }) { row.append("\(group.diverged)/\(group.failed)") }
        if groups.contains(where: { $0.trains != nil }) {
            row.append(group.trains.map { "\($0.trained) of \($0.finished)" } ?? "")
        }
        return row
    }

    /// Percent with one decimal for fractions, else three decimals.
    static func format(_ value: Double, _ fraction: Bool) -> String {
        fraction ? String(format: "%.1f", value * 100) : String(format: "%.3f", value)
    }

    /// Columns padded to their widest cell, two spaces apart.
    public static func table(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let rows = [header(groups)] + groups.map { displayRow($0, in: groups) }
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { cell, width in cell.padding(toLength: width, withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n" + legend(groups, thresholds: thresholds)
    }

    public static func markdown(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let head = header(groups)
        var out = "| " + head.map(MarkdownRenderer.escape).joined(separator: " | ") + " |\n"
        out += "|" + String(repeating: "---|", count: head.count) + "\n"
        for group in groups {
            out += "| " + displayRow(group, in: groups).map(MarkdownRenderer.escape).joined(separator: " | ") + " |\n"
        }
        return out + "\n" + legend(groups, thresholds: thresholds)
    }

    /// An XHTML table (numbers right-aligned), then the legend as a note: the HTML report's "Runs" section.
    public static func html(_ groups: [RunGroup], thresholds: [String: Double] = [:]) -> String {
        let head = header(groups)
        let numeric = Set(head.indices.filter { c in groups.allSatisfy { !displayRow($0, in: groups)[c].contains(where: \.isLetter) } })
        var out = "<table>\n<tr>" + head.map { "<th>\(XML.escape($0))</th>" }.joined() + "</tr>\n"
        for group in groups {
            let cells = displayRow(group, in: groups).enumerated().map { c, text in
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
                     group.setting, metric.name, String(s?.count ?? 0), number(s?.mean), number(s?.standardDeviation),
                     number(s?.standardError)]
                    + seeds.map { number(bySeed[$0] ?? nil) }
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

    private static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
