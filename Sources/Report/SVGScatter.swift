import Foundation

/// A labelled scatter plot as inline SVG, with Spearman's ρ in the title (architecture similarity at
/// initialization against guidability).
public struct SVGScatter: Sendable {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        public var label: String

        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var width = 520.0
    public var height = 360.0

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public func render(_ points: [Point]) -> String {
        let width = max(self.width, SVGHeatmap.textWidth(title, size: 13) * 1.05 + 70)
        let left = 60.0, right = 20.0, top = 40.0, bottom = 46.0
        let plotW = width - left - right, plotH = height - top - bottom
        let rho = Spearman.rho(points.map(\.x), points.map(\.y))
        let rhoText = rho.map { String(format: "Spearman ρ = %.2f (n = %d)", $0, points.count) } ?? "Spearman ρ undefined (n = \(points.count))"
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(XML.n(width))\" height=\"\(XML.n(height))\" viewBox=\"0 0 \(XML.n(width)) \(XML.n(height))\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
        s += "<title>\(XML.escape(title + " — " + rhoText))</title>"
        s += "<text x=\"\(XML.n(left))\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(XML.escape(title))</text>"
        s += "<text x=\"\(XML.n(left))\" y=\"31\" font-size=\"11\" fill=\"#555555\">\(XML.escape(rhoText))</text>"
        s += "<rect x=\"\(XML.n(left))\" y=\"\(XML.n(top))\" width=\"\(XML.n(plotW))\" height=\"\(XML.n(plotH))\" fill=\"none\" stroke=\"#cccccc\"/>"
        let xs = points.map(\.x), ys = points.map(\.y)
        let (x0, x1) = Self.range(xs), (y0, y1) = Self.range(ys)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }
        if y0 < 0, y1 > 0 {
            s += "<line x1=\"\(XML.n(left))\" y1=\"\(XML.n(py(0)))\" x2=\"\(XML.n(left + plotW))\" y2=\"\(XML.n(py(0)))\" stroke=\"#999999\" stroke-dasharray=\"3 3\"/>"
        }
        for (value, x) in [(x0, left), (x1, left + plotW)] {
            s += "<text x=\"\(XML.n(x))\" y=\"\(XML.n(top + plotH + 14))\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555555\">\(SVGLineChart.tick(value))</text>"
        }
        for (value, y) in [(y0, top + plotH), (y1, top)] {
            s += "<text x=\"\(XML.n(left - 4))\" y=\"\(XML.n(y + 3))\" font-size=\"10\" text-anchor=\"end\" fill=\"#555555\">\(SVGLineChart.tick(value))</text>"
        }
        s += "<text x=\"\(XML.n(left + plotW / 2))\" y=\"\(XML.n(height - 10))\" font-size=\"11\" text-anchor=\"middle\">\(XML.escape(xLabel))</text>"
        let mid = top + plotH / 2
        s += "<text x=\"14\" y=\"\(XML.n(mid))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(XML.n(mid)))\">\(XML.escape(yLabel))</text>"
        for p in points where p.x.isFinite && p.y.isFinite {
            s += "<g class=\"point\"><title>\(XML.escape("\(p.label): x = \(SVGLineChart.tick(p.x)), y = \(SVGLineChart.tick(p.y))"))</title>"
            s += "<circle cx=\"\(XML.n(px(p.x)))\" cy=\"\(XML.n(py(p.y)))\" r=\"4\" fill=\"#0571b0\" fill-opacity=\"0.8\"/>"
            // Labels of points in the right third go to their left, so they stay inside the plot.
            let flip = px(p.x) > left + plotW * 0.66
            s += "<text x=\"\(XML.n(px(p.x) + (flip ? -6 : 6)))\" y=\"\(XML.n(py(p.y) - 5))\" font-size=\"9\" fill=\"#333333\"\(flip ? " text-anchor=\"end\"" : "")>\(XML.escape(p.label))</text></g>"
        }
        return s + "</svg>"
    }

    /// The finite range of `values`, widened by 5% (or ±0.5 around a single value).
    static func range(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return (0, 1) }
        guard hi > lo else { return (lo - 0.5, hi + 0.5) }
        let pad = (hi - lo) * 0.05
        return (lo - pad, hi + pad)
    }
}
