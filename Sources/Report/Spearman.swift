/// Spearman's rank correlation ρ: Pearson's correlation of the ranks, ties given their average rank.
public enum Spearman {
    /// ρ of paired values, or nil with fewer than 3 pairs or when either side is constant.
    public static func rho(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "Spearman needs paired values")
        guard x.count >= 3 else { return nil }
        return pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks with ties sharing the mean of the ranks they span: [10, 20, 20, 30] → [1, 2.5, 2.5, 4].
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let shared = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = shared }
            start = end + 1
        }
        return ranks
    }

    /// Pearson's r, or nil when either side has no variance.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
