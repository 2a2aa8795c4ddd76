/// Matrices as GitHub-flavoured Markdown: a heading, a one-line legend and a table per matrix.
public enum MarkdownRenderer {
    public static func render(_ matrices: [GuidabilityMatrix]) -> String {
        matrices.map(render).joined(separator: "\n")
    }

    public static func render(_ m: GuidabilityMatrix) -> String {
        var out = "### \(escape(m.title))\n\n\(escape(m.legendText))\n\n"
        out += "| guide \\\\ target | " + m.targets.map(escape).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: m.targets.count) + "\n"
        if let baselines = m.baselines {
            out += "| *baseline* | " + baselines.map { escape(m.baselineText($0)) }.joined(separator: " | ") + " |\n"
        }
        for (r, guide) in m.guides.enumerated() {
            let cells = m.cells[r].map { cell -> String in
                let detail = m.cellDetailText(cell)
                return escape(m.cellValueText(cell) + (detail.isEmpty ? "" : " (\(detail))"))
            }
            out += "| \(escape(guide)) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Escapes the characters that would break a table cell or start markup.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "|*_`[]<>\\".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
