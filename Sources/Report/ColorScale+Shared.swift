/// One colour scale per metric and comparison, shared by every table of a report, and the muted colours of cells
/// whose interval includes 0.
extension ColorScale {
    /// What shares a scale: the metric and the comparison (`test_accuracy|guided (trained guide) vs baseline`).
    public static func key(_ m: GuidabilityMatrix) -> String { "\(m.metric)|\(m.comparison)" }

    /// A scale per `key` over every matrix given: the nice limit of the largest |mean Δ| among them.
    public static func shared(_ matrices: [GuidabilityMatrix]) -> [String: ColorScale] {
        var largest: [String: Double] = [:]
        for m in matrices { largest[key(m)] = Swift.max(largest[key(m)] ?? 0, m.maxAbsDelta) }
        return largest.mapValues { ColorScale(limit: niceLimit($0)) }
    }

    /// The fill of a cell: its colour when decided, else that colour faded three quarters of the way to light
    /// grey (so an undecided −1.6 ±26.7 never reads as "deep red"); nil without a value.
    public func fill(_ cell: MatrixCell) -> RGB? {
        guard let delta = cell.delta else { return nil }
        let rgb = color(delta.mean)
        return cell.isDecided ? rgb : Self.muted(rgb)
    }

    /// `rgb` faded 75% towards #eeeeee.
    public static func muted(_ rgb: RGB) -> RGB {
        func fade(_ c: Int) -> Int { Int((Double(c) + (238 - Double(c)) * 0.75).rounded()) }
        return RGB(r: fade(rgb.r), g: fade(rgb.g), b: fade(rgb.b))
    }
}
