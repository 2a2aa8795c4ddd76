/// A matrix as a terminal table: two lines per cell (mean Δ ± CI half-width; seeds won and marks) on a
/// diverging background colour (24-bit ANSI), column blocks wrapped to fit `width` columns.
public struct TableRenderer: Sendable {
    /// Terminal width in columns.
    public var width: Int
    /// Whether to emit ANSI colour escapes.
    public var color: Bool

    public init(width: Int = 80, color: Bool = true) {
        self.width = width
        self.color = color
    }

    /// The matrices one after the other, one colour scale per metric and comparison across all of them.
    public func render(_ matrices: [GuidabilityMatrix]) -> String {
        let scales = ColorScale.shared(matrices)
        return matrices.map { render($0, scale: scales[ColorScale.key($0)]) }.joined(separator: "\n")
    }

    /// One matrix; `scale` defaults to the matrix's own range. Decided cells (interval excludes 0) get the scale's
    /// colour and a `*`, the others a muted one.
    public func render(_ matrix: GuidabilityMatrix, scale: ColorScale? = nil) -> String {
        let scale = scale ?? ColorScale(limit: ColorScale.niceLimit(matrix.maxAbsDelta))
        let labelWidth = min(16, max(12, (matrix.guides + ["baseline"]).map(\.count).max() ?? 12))
        let cellTexts = matrix.cells.joined().flatMap { [matrix.cellValueText($0), matrix.cellDetailText($0)] }
            + (matrix.baselines ?? []).map(matrix.baselineText)
        let cellWidth = min(18, max(9, (cellTexts + matrix.targets).map(\.count).max() ?? 9))
        let perBlock = max(1, (width - labelWidth) / (cellWidth + 3))
        var out = bold(matrix.title) + "\n"
        for start in stride(from: 0, to: max(matrix.targets.count, 1), by: perBlock) {
            let columns = Array(start..<min(start + perBlock, matrix.targets.count))
            var header = pad("guide\\target", labelWidth)
            for c in columns { header += "  " + pad(matrix.targets[c], cellWidth, right: true) + " " }
            out += dim(header) + "\n"
            if let baselines = matrix.baselines {
                var line = pad("baseline", labelWidth)
                for c in columns { line += "  " + pad(matrix.baselineText(baselines[c]), cellWidth, right: true) + " " }
                out += line + "\n"
            }
            for (r, guide) in matrix.guides.enumerated() {
                var first = pad(guide, labelWidth), second = String(repeating: " ", count: labelWidth)
                for c in columns {
                    let cell = matrix.cells[r][c]
                    let background = scale.fill(cell)
                    first += " " + paint(" " + pad(matrix.cellValueText(cell), cellWidth, right: true) + " ", background)
                    second += " " + paint(" " + pad(matrix.cellDetailText(cell), cellWidth, right: true) + " ", background)
                }
                out += first + "\n" + second + "\n"
            }
        }
        out += wrap(matrix.legendText, width: width).map(dim).joined(separator: "\n") + "\n"
        if color { out += legendBar(scale, matrix) + "\n" }
        return out
    }

    /// A strip of the colour scale with its end values.
    private func legendBar(_ scale: ColorScale, _ matrix: GuidabilityMatrix) -> String {
        let steps = 21
        var bar = ""
        for i in 0..<steps {
            let v = scale.limit * (Double(i) / Double(steps - 1) * 2 - 1)
            bar += paint(" ", scale.color(v))
        }
        return "worse " + matrix.formatDelta(-scale.limit) + " " + bar + " " + matrix.formatDelta(scale.limit) + " better"
    }

    private func paint(_ text: String, _ rgb: ColorScale.RGB?) -> String {
        guard color, let rgb else { return text }
        let fg = rgb.prefersDarkText ? "38;2;0;0;0" : "38;2;255;255;255"
        return "\u{1B}[48;2;\(rgb.r);\(rgb.g);\(rgb.b);\(fg)m\(text)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }

    /// Pads or truncates (with …) to exactly `width` characters.
    func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fitted = text.count > width ? String(text.prefix(width - 1)) + "…" : text
        let fill = String(repeating: " ", count: width - fitted.count)
        return right ? fill + fitted : fitted + fill
    }

    /// Greedy word wrap.
    func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
