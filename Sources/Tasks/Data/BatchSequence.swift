/// The mini-batches of one pass over a split.
///
/// Order: with a `seed`, the examples are permuted by `SeededRandom(seed: seed, stream: epoch)`
/// (Fisher–Yates), so each epoch has its own order and the same (seed, epoch) always gives the
/// same batches; without a seed the split's stored order is kept.
///
/// Last partial batch: with `dropLast` (the training policy) every batch has exactly
/// `batchSize` examples and the remaining `count % batchSize` examples of that epoch's order are
/// skipped (they are seen in other epochs because the order changes); without it (evaluation)
/// the final batch holds the remainder, so every example is seen exactly once.
public struct BatchSequence: Sequence, Sendable {
    public let split: Split
    public let batchSize: Int
    public let dropLast: Bool
    /// The example order of this pass.
    public let order: [Int]

    public init(split: Split, batchSize: Int, seed: UInt64?, epoch: Int = 0, dropLast: Bool) {
        precondition(batchSize > 0, "batch size must be positive")
        self.split = split
        self.batchSize = batchSize
        self.dropLast = dropLast
        if let seed {
            var rng = SeededRandom(seed: seed, stream: UInt64(truncatingIfNeeded: epoch) &+ 1)
            order = rng.permutation(split.count)
        } else {
            order = Array(0..<split.count)
        }
    }

    /// Number of batches this pass yields.
    public var batchCount: Int {
        dropLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// Batch `index` (0-based) of this pass.
    public func batch(_ index: Int) -> HostBatch {
        let start = index * batchSize
        let end = Swift.min(start + batchSize, order.count)
        return split.batch(order[start..<end])
    }

    public struct Iterator: IteratorProtocol {
        let sequence: BatchSequence
        var position = 0

        public mutating func next() -> HostBatch? {
            guard position < sequence.batchCount else { return nil }
            defer { position += 1 }
            return sequence.batch(position)
        }
    }

    public func makeIterator() -> Iterator { Iterator(sequence: self) }
}

extension Split {
    /// Training batches: shuffled per epoch from `seed`, fixed size, last partial batch dropped.
    public func trainingBatches(size: Int, seed: UInt64, epoch: Int) -> BatchSequence {
        BatchSequence(split: self, batchSize: size, seed: seed, epoch: epoch, dropLast: true)
    }

    /// Evaluation batches: stored order, every example exactly once (last batch may be short).
    public func evaluationBatches(size: Int) -> BatchSequence {
        BatchSequence(split: self, batchSize: size, seed: nil, dropLast: false)
    }
}
