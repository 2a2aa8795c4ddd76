extension ConfigValue {
    /// Whether two option values mean the same setting: numbers compare by value (`8` and `8.0`), lists element by
    /// element, and a one-element list is its element (`channels: [32]` is `channels: 32`).
    public func means(_ other: ConfigValue) -> Bool {
        switch (self, other) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let xs), .array(let ys)): return xs.count == ys.count && zip(xs, ys).allSatisfy { $0.means($1) }
        case (.array(let xs), _) where xs.count == 1: return xs[0].means(other)
        case (_, .array(let ys)) where ys.count == 1: return means(ys[0])
        default: return self == other
        }
    }
}
