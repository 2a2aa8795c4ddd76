/// One split (train, validation or test) of a data set, stored flat and row-major.
///
/// Example `i` occupies `inputs[i * exampleSize ..< (i + 1) * exampleSize]` and
/// `targets[i * targetsPerExample ..< (i + 1) * targetsPerExample]`.
public struct Split: Sendable, Equatable {
    public let name: String
    /// Per-example input shape (no batch dimension), e.g. `[1, 40]` or `[T]`.
    public let exampleShape: [Int]
    public let inputs: HostValues
    /// Per-example target shape: `[]` for one class id, `[T]` for per-position ids.
    public let targetShape: [Int]
    public let targets: [Int64]
    /// Valid length of each padded token sequence, `[count]`; nil when unpadded.
    public let lengths: [Int64]?

    public init(
        name: String, exampleShape: [Int], inputs: HostValues,
        targetShape: [Int] = [], targets: [Int64], lengths: [Int64]? = nil
    ) {
        let exampleSize = exampleShape.reduce(1, *)
        let targetsPerExample = targetShape.reduce(1, *)
        let count = targets.count / max(targetsPerExample, 1)
        precondition(exampleSize > 0 && inputs.count == count * exampleSize, "split \(name): inputs do not match targets")
        precondition(targets.count == count * targetsPerExample, "split \(name): targets do not match their shape")
        precondition(lengths == nil || lengths!.count == count, "split \(name): lengths do not match count")
        self.name = name
        self.exampleShape = exampleShape
        self.inputs = inputs
        self.targetShape = targetShape
        self.targets = targets
        self.lengths = lengths
    }

    /// An empty split with the given shapes.
    public static func empty(name: String, like other: Split) -> Split {
        let storage: HostValues = other.inputs.floats != nil ? .float32([]) : .int64([])
        return Split(
            name: name, exampleShape: other.exampleShape, inputs: storage, targetShape: other.targetShape,
            targets: [], lengths: other.lengths == nil ? nil : [])
    }

    /// Number of examples.
    public var count: Int { targets.count / max(targetsPerExample, 1) }
    public var isEmpty: Bool { count == 0 }
    /// Values per example input.
    public var exampleSize: Int { exampleShape.reduce(1, *) }
    /// Targets per example (1 for classification).
    public var targetsPerExample: Int { targetShape.reduce(1, *) }

    /// The examples at `indices`, in that order, copied into one batch.
    public func batch(_ indices: some Collection<Int>) -> HostBatch {
        let n = indices.count
        return HostBatch(
            inputs: inputs.gatherRows(indices, rowSize: exampleSize),
            inputShape: [n] + exampleShape,
            targets: gatherRows(targets, indices, rowSize: targetsPerExample),
            targetShape: [n] + targetShape,
            lengths: lengths.map { gatherRows($0, indices, rowSize: 1) })
    }

    /// A new split holding the examples at `indices` (used to carve validation from train).
    public func subset(_ indices: some Collection<Int>, name: String) -> Split {
        let b = batch(indices)
        return Split(
            name: name, exampleShape: exampleShape, inputs: b.inputs, targetShape: targetShape,
            targets: b.targets, lengths: b.lengths)
    }

    /// The class id counts (targets `0..<classes`, others ignored); for classification splits.
    public func classCounts(classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for t in targets where t >= 0 && t < Int64(classes) { counts[Int(t)] += 1 }
        return counts
    }
}
