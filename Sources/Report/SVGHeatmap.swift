/// A matrix as a standalone SVG heatmap: cells coloured on a diverging scale centred at zero, each showing
/// mean Δ ± CI half-width, seeds won (with marks) and the interval drawn on the scale's axis (with a tick at 0),
/// a baseline row, labelled axes, a title, a colour legend and a caption saying how to read it. A cell whose
/// interval includes 0 (or has a single seed) is undecided: muted colour and hatched (`data-decided="false"`);
/// decided cells (`data-decided="true"`) get the scale's full colour. Pure string generation.
public struct SVGHeatmap: Sendable {
    /// Prefix for element ids (gradients), unique per SVG when several share an HTML page.
    public var idPrefix: String
    public var cellWidth = 120.0
    public var cellHeight = 58.0

    public init(idPrefix: String = "hm") { self.idPrefix = idPrefix }

    /// Approximate width of `text` at `size` px in a sans-serif font.
    static func textWidth(_ text: String, size: Double) -> Double { Double(text.count) * size * 0.6 }

    /// `scale`: the colour scale shared with the report's other tables of the same metric and comparison
    /// (`ColorScale.shared`); nil: this matrix's own range.
    public func render(_ m: GuidabilityMatrix, standalone: Bool = true, scale: ColorScale? = nil) -> String {
        let scale = scale ?? ColorScale(limit: ColorScale.niceLimit(m.maxAbsDelta))
        let columns = Double(max(m.targets.count, 1))
        let labelWidth = max(70, (m.guides + ["baseline"]).map { Self.textWidth($0, size: 12) }.max() ?? 70) + 16
        let longest = m.targets.map { Self.textWidth($0, size: 12) }.max() ?? 0
        let rotate = longest > cellWidth - 10
        let headerHeight = rotate ? min(150, longest * 0.6 + 16) : 22
        let gx = 28 + labelWidth
        let top = 64 + headerHeight
        let baselineRows = m.baselines == nil ? 0.0 : 1
        let gridTop = top + baselineRows * (cellHeight * 0.7 + 8)
        let gridBottom = gridTop + Double(m.guides.count) * cellHeight
        let legendX = gx + columns * cellWidth + 28
        // Room for the title, and for a rotated last column label running up and to the right.
        let labelReach = rotate ? gx + (columns - 0.5) * cellWidth + longest * 0.82 + 12 : 0
        let width = max(legendX + 110, Self.textWidth(m.title, size: 15) * 1.05 + 24, labelReach)
        let caption = wrap(m.legendText, width: width - 20, size: 11)
        // The legend may be taller than a short grid: the caption starts below whichever ends lower.
        let legendHeight = max(80, min(220, gridBottom - gridTop))
        let captionTop = max(gridBottom, gridTop + legendHeight + 18)
        let height = captionTop + 24 + Double(caption.count) * 14 + 10

        var s = ""
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(XML.n(width))\" height=\"\(XML.n(height))\" viewBox=\"0 0 \(XML.n(width)) \(XML.n(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">\n"
        s += "<title>\(XML.escape(m.title))</title>\n"
        s += "<defs><pattern id=\"\(idPrefix)-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888888\" stroke-opacity=\"0.35\" stroke-width=\"1.5\"/></pattern></defs>\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        s += text(m.title, x: 10, y: 22, size: 15, weight: "bold")
        let unit = m.isFraction ? "Δ in percentage points" : "Δ in \(m.metric) units"
        let subtitle = [unit, m.setting.isEmpty ? nil : "setting: \(m.setting)"].compactMap { $0 }.joined(separator: " · ")
        s += text(subtitle, x: 10, y: 40, size: 11, fill: "#555555")
        // Axis titles.
        s += text("target", x: gx + columns * cellWidth / 2, y: 58, size: 12, weight: "bold", anchor: "middle")
        let midY = (gridTop + gridBottom) / 2
        s += "<text x=\"14\" y=\"\(XML.n(midY))\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(XML.n(midY)))\">guide</text>\n"
        // Column labels.
        for (c, target) in m.targets.enumerated() {
            let cx = gx + (Double(c) + 0.5) * cellWidth
            if rotate {
                let y = top - 6
                s += "<text x=\"\(XML.n(cx))\" y=\"\(XML.n(y))\" font-size=\"12\" text-anchor=\"start\" transform=\"rotate(-35 \(XML.n(cx)) \(XML.n(y)))\">\(XML.escape(target))</text>\n"
            } else {
                s += text(target, x: cx, y: top - 6, size: 12, anchor: "middle")
            }
        }
        // Baseline row.
        if let baselines = m.baselines {
            let h = cellHeight * 0.7
            s += text("baseline", x: gx - 8, y: top + h / 2 + 4, size: 12, anchor: "end", fill: "#555555", style: "italic")
            for (c, b) in baselines.enumerated() {
                let x = gx + Double(c) * cellWidth
                s += "<rect class=\"baseline\" x=\"\(XML.n(x + 1))\" y=\"\(XML.n(top + 1))\" width=\"\(XML.n(cellWidth - 2))\" height=\"\(XML.n(h - 2))\" fill=\"#eeeeee\"/>\n"
                s += text(m.baselineText(b), x: x + cellWidth / 2, y: top + h / 2 + 4, size: 11, anchor: "middle", fill: "#333333")
            }
        }
        // Cells.
        for (r, guide) in m.guides.enumerated() {
            let y = gridTop + Double(r) * cellHeight
            s += text(guide, x: gx - 8, y: y + cellHeight / 2 + 4, size: 12, anchor: "end")
            for (c, target) in m.targets.enumerated() {
                s += cell(m, m.cells[r][c], guide: guide, target: target,
                          x: gx + Double(c) * cellWidth, y: y, scale: scale)
            }
        }
        s += legend(m, scale: scale, x: legendX, y: gridTop, height: legendHeight)
        for (i, line) in caption.enumerated() {
            s += text(line, x: 10, y: captionTop + 26 + Double(i) * 14, size: 11, fill: "#444444")
        }
        s += "</svg>\n"
        return standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + s : s
    }

    private func cell(_ m: GuidabilityMatrix, _ cell: MatrixCell, guide: String, target: String, x: Double, y: Double,
                      scale: ColorScale) -> String {
        let fill = scale.fill(cell)
        let dark = fill?.prefersDarkText ?? true
        var tip = "\(guide) → \(target): "
        if let d = cell.delta {
            tip += "mean Δ \(m.formatDelta(d.mean))\(m.deltaUnit.isEmpty ? "" : " " + m.deltaUnit), n=\(d.count)"
            if let ci = d.interval { tip += ", \(Int((m.level * 100).rounded()))% CI [\(m.formatDelta(ci.lowerBound)), \(m.formatDelta(ci.upperBound))]" }
            if let rel = cell.relativePercent { tip += ", relative \(rel >= 0 ? "+" : "−")\(String(format: "%.1f", abs(rel)))%" }
            tip += ", won \(cell.won)/\(cell.count)"
            tip += cell.isDecided ? ", decided" : ", undecided (interval includes 0)"
        } else {
            tip += "no paired seeds"
        }
        if !cell.marks.isEmpty { tip += " (" + cell.marks.joined(separator: ", ") + ")" }
        let state = cell.delta == nil ? "" : " data-decided=\"\(cell.isDecided)\""
        var s = "<g class=\"cell\"\(state) data-guide=\"\(XML.escape(guide))\" data-target=\"\(XML.escape(target))\"><title>\(XML.escape(tip))</title>\n"
        s += "<rect x=\"\(XML.n(x + 1))\" y=\"\(XML.n(y + 1))\" width=\"\(XML.n(cellWidth - 2))\" height=\"\(XML.n(cellHeight - 2))\" fill=\"\(fill?.hex ?? "#ffffff")\""
        s += fill == nil ? " stroke=\"#cccccc\" stroke-dasharray=\"3 3\"/>\n" : "/>\n"
        if fill != nil, !cell.isDecided {
            s += "<rect class=\"hatch\" x=\"\(XML.n(x + 1))\" y=\"\(XML.n(y + 1))\" width=\"\(XML.n(cellWidth - 2))\" height=\"\(XML.n(cellHeight - 2))\" fill=\"url(#\(idPrefix)-hatch)\"/>\n"
        }
        let ink = dark ? "#111111" : "#ffffff"
        s += text(m.cellValueText(cell), x: x + cellWidth / 2, y: y + 20, size: 13, weight: "bold",
                  anchor: "middle", fill: fill == nil ? "#999999" : ink)
        let detail = m.cellDetailText(cell)
        if !detail.isEmpty {
            let warn = !cell.marks.isEmpty
            s += text(detail, x: x + cellWidth / 2, y: y + 35, size: 10, anchor: "middle",
                      fill: fill == nil ? "#999999" : ink, style: warn ? "italic" : nil)
        }
        if let ci = cell.delta?.interval, let mean = cell.delta?.mean {
            s += interval(ci, mean: mean, x: x, y: y + cellHeight - 10, scale: scale, ink: ink)
        }
        return s + "</g>\n"
    }

    /// The interval on the colour scale's axis (−limit … +limit across the cell, clamped), a tick at 0, a dot at the mean.
    private func interval(_ ci: ClosedRange<Double>, mean: Double, x: Double, y: Double, scale: ColorScale, ink: String) -> String {
        let left = x + 10, right = x + cellWidth - 10
        func px(_ v: Double) -> Double { left + (max(-1, min(1, v / scale.limit)) + 1) / 2 * (right - left) }
        var s = "<g class=\"interval\" data-lower=\"\(ci.lowerBound)\" data-upper=\"\(ci.upperBound)\">"
        s += "<line x1=\"\(XML.n(px(0)))\" y1=\"\(XML.n(y - 4))\" x2=\"\(XML.n(px(0)))\" y2=\"\(XML.n(y + 4))\" stroke=\"\(ink)\" stroke-opacity=\"0.6\"/>"
        s += "<line x1=\"\(XML.n(px(ci.lowerBound)))\" y1=\"\(XML.n(y))\" x2=\"\(XML.n(px(ci.upperBound)))\" y2=\"\(XML.n(y))\" stroke=\"\(ink)\" stroke-width=\"1.5\"/>"
        s += "<circle cx=\"\(XML.n(px(mean)))\" cy=\"\(XML.n(y))\" r=\"2.5\" fill=\"\(ink)\"/>"
        return s + "</g>\n"
    }

    private func legend(_ m: GuidabilityMatrix, scale: ColorScale, x: Double, y: Double, height: Double) -> String {
        let id = "\(idPrefix)-scale"
        var s = "<defs><linearGradient id=\"\(id)\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
        for i in 0...8 {
            let f = Double(i) / 8
            s += "<stop offset=\"\(XML.n(f * 100))%\" stop-color=\"\(scale.color(scale.limit * (1 - 2 * f)).hex)\"/>"
        }
        s += "</linearGradient></defs>\n"
        s += "<g class=\"legend\">\n"
        s += "<rect x=\"\(XML.n(x))\" y=\"\(XML.n(y))\" width=\"14\" height=\"\(XML.n(height))\" fill=\"url(#\(id))\" stroke=\"#888888\" stroke-width=\"0.5\"/>\n"
        for (value, f) in [(scale.limit, 0.0), (0, 0.5), (-scale.limit, 1.0)] {
            let ty = y + f * height
            s += "<line x1=\"\(XML.n(x + 14))\" y1=\"\(XML.n(ty))\" x2=\"\(XML.n(x + 18))\" y2=\"\(XML.n(ty))\" stroke=\"#888888\"/>\n"
            s += text(value == 0 ? "0" : m.formatDelta(value), x: x + 21, y: ty + 4, size: 10)
        }
        s += text("better", x: x, y: y - 6, size: 10, fill: "#555555")
        s += text("worse", x: x, y: y + height + 14, size: 10, fill: "#555555")
        return s + "</g>\n"
    }

    private func text(_ content: String, x: Double, y: Double, size: Double, weight: String? = nil,
                      anchor: String? = nil, fill: String? = nil, style: String? = nil) -> String {
        var s = "<text x=\"\(XML.n(x))\" y=\"\(XML.n(y))\" font-size=\"\(XML.n(size))\""
        if let weight { s += " font-weight=\"\(weight)\"" }
        if let anchor { s += " text-anchor=\"\(anchor)\"" }
        if let fill { s += " fill=\"\(fill)\"" }
        if let style { s += " font-style=\"\(style)\"" }
        return s + ">\(XML.escape(content))</text>\n"
    }

    private func wrap(_ text: String, width: Double, size: Double) -> [String] {
        let perLine = max(20, Int(width / (size * 0.55)))
        return TableRenderer(width: perLine, color: false).wrap(text, width: perLine)
    }
}
