/// Which guide tap guides which target tap.
public struct TapPairing: Hashable, Sendable, Codable {
    /// Index into the guide's taps (forward order, head excluded).
    public let guide: Int
    /// Index into the target's taps.
    public let target: Int

    public init(guide: Int, target: Int) {
        self.guide = guide
        self.target = target
    }
}

/// The reference implementation's even-spacing rule (method.md §4).
public enum EvenSpacing {
    /// With g guide taps and t target taps: step = (t − 1)/(g − 1) (1 when g = 1); guide tap i goes to target tap
    /// min(round(i·step), t − 1), rounding half to even (Python's `round`); when several guide taps land on one
    /// target tap only the last counts. Pairs come out in guide order. Unmapped target taps get no guidance.
    public static func pairs(guideTaps g: Int, targetTaps t: Int) -> [TapPairing] {
        guard g > 0, t > 0 else { return [] }
        let step = g == 1 ? 1.0 : Double(t - 1) / Double(g - 1)
        var lastGuideForTarget: [Int: Int] = [:]
        for i in 0..<g {
            let target = Swift.min(Int((Double(i) * step).rounded(.toNearestOrEven)), t - 1)
            lastGuideForTarget[target] = i
        }
        return lastGuideForTarget.map { TapPairing(guide: $0.value, target: $0.key) }.sorted { $0.guide < $1.guide }
    }
}
