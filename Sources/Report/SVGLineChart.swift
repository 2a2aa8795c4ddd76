import Foundation

/// A small line chart as inline SVG: several series over a shared x axis (steps), min/max ticks on both
/// axes, a legend line. Pure string generation.
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// `#rrggbb`.
        public var color: String
        public var dashed: Bool
        public var points: [(x: Double, y: Double)]

        public init(name: String, color: String, dashed: Bool = false, points: [(x: Double, y: Double)]) {
            self.name = name
            self.color = color
            self.dashed = dashed
            self.points = points
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width = 260.0
    public var height = 160.0

    public init(title: String, xLabel: String = "step", yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public func render(_ series: [Series]) -> String {
        let left = 46.0, right = 8.0, top = 22.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(XML.n(width))\" height=\"\(XML.n(height))\" viewBox=\"0 0 \(XML.n(width)) \(XML.n(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
        s += "<title>\(XML.escape(title))</title>"
        s += "<text x=\"\(XML.n(left))\" y=\"13\" font-size=\"11\" font-weight=\"bold\">\(XML.escape(title))</text>"
        guard let x0 = all.map(\.x).min(), let x1 = all.map(\.x).max(), let y0r = all.map(\.y).min(),
              let y1r = all.map(\.y).max() else {
            return s + "<text x=\"\(XML.n(width / 2))\" y=\"\(XML.n(height / 2))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#999999\">no curve recorded</text></svg>"
        }
        let pad = (y1r - y0r) * 0.05
        let y0 = y0r - (pad > 0 ? pad : 0.5), y1 = y1r + (pad > 0 ? pad : 0.5)
        func px(_ x: Double) -> Double { left + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        s += "<rect x=\"\(XML.n(left))\" y=\"\(XML.n(top))\" width=\"\(XML.n(plotW))\" height=\"\(XML.n(plotH))\" fill=\"none\" stroke=\"#cccccc\"/>"
        for (value, y) in [(y1r, py(y1r)), (y0r, py(y0r))] {
            s += "<text x=\"\(XML.n(left - 3))\" y=\"\(XML.n(y + 3))\" font-size=\"9\" text-anchor=\"end\" fill=\"#555555\">\(XML.escape(Self.tick(value)))</text>"
        }
        s += "<text x=\"\(XML.n(left))\" y=\"\(XML.n(top + plotH + 11))\" font-size=\"9\" fill=\"#555555\">\(XML.escape(Self.tick(x0)))</text>"
        s += "<text x=\"\(XML.n(left + plotW))\" y=\"\(XML.n(top + plotH + 11))\" font-size=\"9\" text-anchor=\"end\" fill=\"#555555\">\(XML.escape(Self.tick(x1)))</text>"
        s += "<text x=\"\(XML.n(left + plotW / 2))\" y=\"\(XML.n(top + plotH + 11))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555555\">\(XML.escape(xLabel))</text>"
        let mid = top + plotH / 2
        s += "<text x=\"10\" y=\"\(XML.n(mid))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555555\" transform=\"rotate(-90 10 \(XML.n(mid)))\">\(XML.escape(yLabel))</text>"
        var legendX = left
        for line in series where !line.points.isEmpty {
            let d = line.points.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(XML.n(px(p.x))) \(XML.n(py(p.y)))" }
            s += "<path d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.5\""
            s += line.dashed ? " stroke-dasharray=\"4 3\"/>" : "/>"
            if line.points.count == 1, let p = line.points.first {
                s += "<circle cx=\"\(XML.n(px(p.x)))\" cy=\"\(XML.n(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>"
            }
            let ly = height - 8
            s += "<line x1=\"\(XML.n(legendX))\" y1=\"\(XML.n(ly - 3))\" x2=\"\(XML.n(legendX + 14))\" y2=\"\(XML.n(ly - 3))\" stroke=\"\(line.color)\" stroke-width=\"1.5\"\(line.dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
            s += "<text x=\"\(XML.n(legendX + 17))\" y=\"\(XML.n(ly))\" font-size=\"9\">\(XML.escape(line.name))</text>"
            legendX += 24 + SVGHeatmap.textWidth(line.name, size: 9)
        }
        return s + "</svg>"
    }

    /// Compact tick text: 3 significant digits.
    static func tick(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
        let magnitude = abs(value)
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return String(format: "%.\(decimals)f", value)
    }
}
