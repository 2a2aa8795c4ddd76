/// Modular addition: given tokens `a + b =`, predict (a + b) mod p.
///
/// Tokens: `0..<p` the numbers, `p` = "+", `p + 1` = "="; input row `[a, p, b, p + 1]`
/// (T = 4, vocab p + 2); class logits (p). All p² ordered pairs are permuted by `seed`; the first
/// round(train_fraction · p²) are training pairs; of the rest, the first
/// round(validation_fraction · rest) are validation and the remainder test. The held-out
/// pairs are never seen in training, so test accuracy measures generalization of the rule.
public struct ModularAdditionTask: TaskDefinition {
    public static let name = "modular-addition"
    public static let summary = "(a + b) mod p from the tokens `a + b =` (p classes, held-out pairs)"

    enum F {
        static let modulus = TaskField("modulus", .int, default: .int(97), "p, the modulus (number of classes)")
        static let trainFraction = TaskField("train_fraction", .double, default: .double(0.5), "fraction of all p² pairs used for training")
        static let validationFraction = TaskField(
            "validation_fraction", .double, default: .double(0.5), "fraction of the held-out pairs used for validation (rest: test)")
        static let seed = TaskField("seed", .int, default: .int(0), "seed of the pair permutation")
    }

    public static let fields = [F.modulus, F.trainFraction, F.validationFraction, F.seed]

    public let modulus: Int
    public let trainFraction: Double
    public let validationFraction: Double
    public let seed: UInt64

    public init(options o: TaskOptions) throws {
        modulus = try o.int(F.modulus, in: 2...4096)
        trainFraction = try o.double(F.trainFraction, in: 0...1)
        try o.require(Int((trainFraction * Double(modulus * modulus)).rounded()) >= 1, F.trainFraction,
                      "leaves no training pair for modulus \(modulus), got \(trainFraction)")
        validationFraction = try o.double(F.validationFraction, in: 0...1)
        seed = try o.seed(F.seed)
    }

    public init(modulus: Int = 97, trainFraction: Double = 0.5, validationFraction: Double = 0.5, seed: UInt64 = 0) {
        self.modulus = modulus
        self.trainFraction = trainFraction
        self.validationFraction = validationFraction
        self.seed = seed
    }

    public func shape() throws -> TaskShape {
        TaskShape(input: .tokens(length: 4, vocab: modulus + 2), output: .classLogits(classes: modulus))
    }

    public func makeDataset() throws -> Dataset {
        let p = modulus
        var rng = SeededRandom(seed: seed)
        let order = rng.permutation(p * p)
        let trainCount = Int((trainFraction * Double(p * p)).rounded())
        let rest = p * p - trainCount
        let validationCount = Int((validationFraction * Double(rest)).rounded())
        let ranges = [0..<trainCount, trainCount..<trainCount + validationCount, trainCount + validationCount..<p * p]
        let names = ["train", "validation", "test"]
        let splits = (0..<3).map { s in
            let pairs = order[ranges[s]]
            var inputs = [Int64]()
            inputs.reserveCapacity(pairs.count * 4)
            var labels = [Int64]()
            labels.reserveCapacity(pairs.count)
            for pair in pairs {
                let (a, b) = (pair / p, pair % p)
                inputs += [Int64(a), Int64(p), Int64(b), Int64(p + 1)]
                labels.append(Int64((a + b) % p))
            }
            return Split(name: names[s], exampleShape: [4], inputs: .int64(inputs), targets: labels)
        }
        return Dataset(
            task: Self.name, inputKind: .tokens(length: 4, vocab: p + 2), outputKind: .classLogits(classes: p),
            train: splits[0], validation: splits[1], test: splits[2],
            notes: ["tokens": "0..<\(p) numbers, \(p) '+', \(p + 1) '='"])
    }
}
