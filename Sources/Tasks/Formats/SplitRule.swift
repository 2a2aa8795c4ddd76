/// How file-based tasks carve a validation split out of the training file.
///
/// A permutation of the training examples from `SeededRandom(seed: splitSeed)` picks
/// round(fraction · N) of them for validation; both parts keep the file's order. The rule depends
/// only on (N, fraction, split_seed), so every job of a sweep sees the same validation set.
enum SplitRule {
    static func carveValidation(_ train: Split, fraction: Double, splitSeed: UInt64) -> (train: Split, validation: Split) {
        let n = train.count
        let k = Int((fraction * Double(n)).rounded())
        guard k > 0 else { return (train, Split.empty(name: "validation", like: train)) }
        var rng = SeededRandom(seed: splitSeed)
        let order = rng.permutation(n)
        let validationIndices = order[0..<k].sorted()
        let trainIndices = order[k...].sorted()
        return (train.subset(trainIndices, name: "train"), train.subset(validationIndices, name: "validation"))
    }
}
