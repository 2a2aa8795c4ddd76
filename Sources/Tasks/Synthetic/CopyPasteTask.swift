/// Copy-paste (method.md §6): read a symbol sequence, then reproduce it after a COPY marker.
///
/// Tokens: `0` = blank/pad, `1...symbols` = symbols, `symbols + 1` = COPY, `symbols + 2` = EOS;
/// vocab = symbols + 3. The reference draws symbols 0..9 and ignores target id 0, so the digit 0
/// is never scored; here symbols start at 1 and 0 is only the blank, which avoids that quirk.
///
/// For a sequence s of length L (uniform in [min_length, max_length]):
/// ```
/// position   0 ..< L    L      L+1 ... 2L     2L+1
/// input      s          COPY   blank × L      EOS
/// target     ignore     ignore s[0] ... ...   (see below)
/// ```
/// Precisely: target[t] = ignoreIndex for t ≤ L (the blanks of the reference target), target[L+1+i] =
/// s[i] for i < L, target[2L+1] = EOS; so the model emits the copy while reading the blanks and
/// EOS at the end. Rows are padded to T = 2·max_length + 2 with input 0 and target ignoreIndex;
/// `lengths` holds 2L + 2. Output: per-token logits; metric token accuracy over scored positions.
public struct CopyPasteTask: TaskDefinition {
    public static let name = "copy-paste"
    public static let summary = "copy a random symbol sequence after a COPY token (per-token outputs)"

    enum F {
        static let minLength = TaskField("min_length", .int, default: .int(20), "shortest sequence (symbols)")
        static let maxLength = TaskField("max_length", .int, default: .int(40), "longest sequence (symbols)")
        static let symbols = TaskField("symbols", .int, default: .int(9), "symbol ids 1...symbols (0 is the blank)")
        static let trainSize = TaskField("train_size", .int, default: .int(10000), "training examples")
        static let validationSize = TaskField("validation_size", .int, default: .int(1000), "validation examples")
        static let testSize = TaskField("test_size", .int, default: .int(1000), "test examples")
        static let seed = TaskField("seed", .int, default: .int(0), "data generation seed (not the training seed)")
    }

    public static let fields = [F.minLength, F.maxLength, F.symbols, F.trainSize, F.validationSize, F.testSize, F.seed]

    public let minLength: Int
    public let maxLength: Int
    public let symbols: Int
    public let sizes: [Int]
    public let seed: UInt64

    public init(options o: TaskOptions) throws {
        minLength = try o.int(F.minLength, in: 1...10_000)
        maxLength = try o.int(F.maxLength, in: 1...10_000)
        try o.require(maxLength >= minLength, F.maxLength, "must be ≥ min_length, got \(maxLength) < \(minLength)")
        symbols = try o.int(F.symbols, in: 1...1_000_000)
        sizes = [try o.int(F.trainSize, in: 1...10_000_000),
                 try o.int(F.validationSize, in: 0...10_000_000),
                 try o.int(F.testSize, in: 0...10_000_000)]
        seed = try o.seed(F.seed)
    }

    /// Memberwise, with the documented defaults.
    public init(minLength: Int = 20, maxLength: Int = 40, symbols: Int = 9, sizes: [Int] = [10000, 1000, 1000], seed: UInt64 = 0) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.symbols = symbols
        self.sizes = sizes
        self.seed = seed
    }

    public var copyToken: Int64 { Int64(symbols + 1) }
    public var eosToken: Int64 { Int64(symbols + 2) }
    public var vocab: Int { symbols + 3 }
    /// Padded row length T.
    public var rowLength: Int { 2 * maxLength + 2 }

    public func shape() throws -> TaskShape {
        TaskShape(input: .tokens(length: rowLength, vocab: vocab), output: .perTokenLogits(vocab: vocab))
    }

    public func metrics() throws -> [TaskMetric] { [.loss, .tokenAccuracy] }

    public func makeDataset() throws -> Dataset {
        let names = ["train", "validation", "test"]
        let splits = names.indices.map { makeSplit(name: names[$0], count: sizes[$0], stream: UInt64($0 + 1)) }
        return Dataset(
            task: Self.name, inputKind: .tokens(length: rowLength, vocab: vocab), outputKind: .perTokenLogits(vocab: vocab),
            train: splits[0], validation: splits[1], test: splits[2],
            notes: ["tokens": "0 blank/pad, 1...\(symbols) symbols, \(copyToken) COPY, \(eosToken) EOS"])
    }

    func makeSplit(name: String, count: Int, stream: UInt64) -> Split {
        var rng = SeededRandom(seed: seed, stream: stream)
        let t = rowLength
        var inputs = [Int64](repeating: 0, count: count * t)
        var targets = [Int64](repeating: ignoreIndex, count: count * t)
        var lengths = [Int64](repeating: 0, count: count)
        for n in 0..<count {
            let length = rng.int(in: minLength...maxLength)
            let row = n * t
            for i in 0..<length {
                let symbol = Int64(rng.int(in: 1...symbols))
                inputs[row + i] = symbol
                targets[row + length + 1 + i] = symbol
            }
            inputs[row + length] = copyToken
            inputs[row + 2 * length + 1] = eosToken
            targets[row + 2 * length + 1] = eosToken
            lengths[n] = Int64(2 * length + 2)
        }
        return Split(name: name, exampleShape: [t], inputs: .int64(inputs), targetShape: [t], targets: targets, lengths: lengths)
    }
}
