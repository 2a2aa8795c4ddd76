/// Parity (method.md §6): classify a bit string by the parity of its number of ones.
///
/// Length L uniform in [min_length, max_length]; bits uniform. Tokens: `0` = pad, `1` = bit 0,
/// `2` = bit 1 (vocab 3), so padding is never confused with a zero bit. Rows are padded to
/// T = max_length; `lengths` holds L (a recurrent model should read its state at L − 1, a
/// Transformer should mask positions ≥ L). Label = (number of ones) mod 2; class logits (2);
/// metric sequence-level accuracy.
public struct ParityTask: TaskDefinition {
    public static let name = "parity"
    public static let summary = "parity of a variable-length bit string (padded tokens, 2 classes)"

    enum F {
        static let minLength = TaskField("min_length", .int, default: .int(2), "shortest bit string")
        static let maxLength = TaskField("max_length", .int, default: .int(50), "longest bit string (= padded length T)")
        static let trainSize = TaskField("train_size", .int, default: .int(10000), "training examples")
        static let validationSize = TaskField("validation_size", .int, default: .int(1000), "validation examples")
        static let testSize = TaskField("test_size", .int, default: .int(1000), "test examples")
        static let seed = TaskField("seed", .int, default: .int(0), "data generation seed (not the training seed)")
    }

    public static let fields = [F.minLength, F.maxLength, F.trainSize, F.validationSize, F.testSize, F.seed]

    public let minLength: Int
    public let maxLength: Int
    public let sizes: [Int]
    public let seed: UInt64

    public init(options o: TaskOptions) throws {
        minLength = try o.int(F.minLength, in: 1...100_000)
        maxLength = try o.int(F.maxLength, in: 1...100_000)
        try o.require(maxLength >= minLength, F.maxLength, "must be ≥ min_length, got \(maxLength) < \(minLength)")
        sizes = [try o.int(F.trainSize, in: 1...10_000_000),
                 try o.int(F.validationSize, in: 0...10_000_000),
                 try o.int(F.testSize, in: 0...10_000_000)]
        seed = try o.seed(F.seed)
    }

    public init(minLength: Int = 2, maxLength: Int = 50, sizes: [Int] = [10000, 1000, 1000], seed: UInt64 = 0) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.sizes = sizes
        self.seed = seed
    }

    public func shape() throws -> TaskShape {
        TaskShape(input: .tokens(length: maxLength, vocab: 3), output: .classLogits(classes: 2))
    }

    public func metrics() throws -> [TaskMetric] { [.loss, .accuracy] }

    public func makeDataset() throws -> Dataset {
        let names = ["train", "validation", "test"]
        let splits = names.indices.map { makeSplit(name: names[$0], count: sizes[$0], stream: UInt64($0 + 1)) }
        return Dataset(
            task: Self.name, inputKind: .tokens(length: maxLength, vocab: 3), outputKind: .classLogits(classes: 2),
            train: splits[0], validation: splits[1], test: splits[2],
            notes: ["tokens": "0 pad, 1 bit zero, 2 bit one"])
    }

    func makeSplit(name: String, count: Int, stream: UInt64) -> Split {
        var rng = SeededRandom(seed: seed, stream: stream)
        let t = maxLength
        var inputs = [Int64](repeating: 0, count: count * t)
        var labels = [Int64](repeating: 0, count: count)
        var lengths = [Int64](repeating: 0, count: count)
        for n in 0..<count {
            let length = rng.int(in: minLength...maxLength)
            var ones: Int64 = 0
            for i in 0..<length {
                let bit = Int64(rng.next() >> 63)
                ones += bit
                inputs[n * t + i] = bit + 1
            }
            labels[n] = ones % 2
            lengths[n] = Int64(length)
        }
        return Split(name: name, exampleShape: [t], inputs: .int64(inputs), targets: labels, lengths: lengths)
    }
}
