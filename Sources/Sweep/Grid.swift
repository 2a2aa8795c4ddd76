/// Cartesian product of axes of setters applied to a base value: the mechanism behind
/// "any scalar field may be given a list".
struct Grid<Value> {
    private var axes: [[(inout Value) -> Void]] = []
    /// Set when an axis could not be read (the problem is already reported).
    private(set) var failed = false

    /// Adds an axis: one setter per value. `nil` marks the grid failed.
    mutating func add<Element>(_ values: [Element]?, _ set: @escaping (inout Value, Element) -> Void) {
        guard let values else { failed = true; return }
        axes.append(values.map { element in { set(&$0, element) } })
    }

    /// Whether any axis has more than one value.
    var hasAxes: Bool { axes.contains { $0.count > 1 } }

    /// Every combination, the first axis varying slowest; setters apply in the order axes were added.
    func expand(_ base: Value) -> [Value] {
        var results = [base]
        for axis in axes {
            var next: [Value] = []
            next.reserveCapacity(results.count * axis.count)
            for partial in results {
                for set in axis {
                    var value = partial
                    set(&value)
                    next.append(value)
                }
            }
            results = next
        }
        return results
    }
}

extension Array where Element: Hashable {
    /// The elements in order with later duplicates removed.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
