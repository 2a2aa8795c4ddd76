/// MNIST-1D: procedurally generated 10-class 1-D signals of length 40 (see `MNIST1DGenerator`).
///
/// Splits: after shuffling and standardization, the first round(train_fraction · samples)
/// examples are the training portion and the rest is test (4000 / 1000 by default, as the
/// published benchmark). Validation is carved from the *end* of the training portion:
/// the last round(validation_fraction · train) training examples (400 by default), so the test
/// set is the published one and `validation_fraction: 0` restores the full 4000-example train set.
///
/// Statistics are checked in `MNIST1DTests` (shape, exact class balance, global standardization,
/// a template-matching classifier that recovers labels far above chance) — see docs/DATASETS.md.
public struct MNIST1DTask: TaskDefinition {
    public static let name = "mnist1d"
    public static let summary = "MNIST-1D: 10-class 1-D signals of length 40, generated natively (4000/1000)"

    enum F {
        static let samples = TaskField("samples", .int, default: .int(5000), "examples in total (label = index mod 10)")
        static let trainFraction = TaskField("train_fraction", .double, default: .double(0.8), "share of examples for training (rest: test)")
        static let validationFraction = TaskField(
            "validation_fraction", .double, default: .double(0.1), "share of the training portion moved to validation (its end)")
        static let paddingMin = TaskField("padding_min", .int, default: .int(36), "fewest zeros appended to a template")
        static let paddingMax = TaskField("padding_max", .int, default: .int(60), "most zeros appended (working length 12 + this)")
        static let scaleCoefficient = TaskField("scale_coeff", .double, default: .double(0.4), "amplitude factor 1 + c·(u − 0.5)")
        static let maxTranslation = TaskField("max_translation", .int, default: .int(48), "circular shift k uniform in 0..<this (samples)")
        static let correlatedNoise = TaskField("corr_noise_scale", .double, default: .double(0.25), "σ of the padding noise before smoothing")
        static let correlatedSigma = TaskField("corr_noise_sigma", .double, default: .double(2), "Gaussian filter σ of that noise (samples)")
        static let iidNoise = TaskField("iid_noise_scale", .double, default: .double(0.02), "σ of the iid noise added everywhere")
        static let shearScale = TaskField("shear_scale", .double, default: .double(0.75), "ramp coefficient c·(u − 0.5)")
        static let finalLength = TaskField("final_length", .int, default: .int(40), "output signal length L")
        static let seed = TaskField("seed", .int, default: .int(42), "data generation seed (not the training seed)")
    }

    public static let fields = [
        F.samples, F.trainFraction, F.validationFraction, F.paddingMin, F.paddingMax, F.scaleCoefficient, F.maxTranslation,
        F.correlatedNoise, F.correlatedSigma, F.iidNoise, F.shearScale, F.finalLength, F.seed, TrainExamples.field,
    ]

    public let generator: MNIST1DGenerator
    public let trainFraction: Double
    public let validationFraction: Double
    /// Train on the first n training examples only (nil: all); validation and test unchanged.
    public let trainExamples: Int?

    public init(options o: TaskOptions) throws {
        var g = MNIST1DGenerator()
        g.samples = try o.int(F.samples, in: 10...10_000_000)
        trainFraction = try o.double(F.trainFraction, in: 0...1)
        validationFraction = try o.double(F.validationFraction, in: 0...0.9)
        let trainCount = Int((trainFraction * Double(g.samples)).rounded())
        let trainingExamples = trainCount - Int((validationFraction * Double(trainCount)).rounded())
        try o.require(trainingExamples >= 1, F.trainFraction, "leaves no training example, got \(trainFraction) of \(g.samples)")
        trainExamples = try TrainExamples.read(o)
        try TrainExamples.check(trainExamples, available: trainingExamples, task: Self.name)
        g.paddingMin = try o.int(F.paddingMin, in: 0...100_000)
        g.paddingMax = try o.int(F.paddingMax, in: 0...100_000)
        try o.require(g.paddingMax >= g.paddingMin, F.paddingMax, "must be ≥ padding_min, got \(g.paddingMax) < \(g.paddingMin)")
        g.scaleCoefficient = try o.double(F.scaleCoefficient, in: 0...1.99)
        g.maxTranslation = try o.int(F.maxTranslation, in: 1...1_000_000)
        g.correlatedNoiseScale = try o.double(F.correlatedNoise, in: 0...1000)
        g.correlatedNoiseSigma = try o.double(F.correlatedSigma, in: 0.01...1000)
        g.iidNoiseScale = try o.double(F.iidNoise, in: 0...1000)
        g.shearScale = try o.double(F.shearScale, in: 0...1000)
        g.finalLength = try o.int(F.finalLength, in: 2...100_000)
        g.seed = try o.seed(F.seed)
        generator = g
    }

    public init(generator: MNIST1DGenerator = MNIST1DGenerator(), trainFraction: Double = 0.8, validationFraction: Double = 0.1,
                trainExamples: Int? = nil) {
        self.generator = generator
        self.trainFraction = trainFraction
        self.validationFraction = validationFraction
        self.trainExamples = trainExamples
    }

    public func shape() throws -> TaskShape {
        TaskShape(input: .signal(channels: 1, length: generator.finalLength), output: .classLogits(classes: 10))
    }

    public func metrics() throws -> [TaskMetric] { [.loss, .accuracy] }

    public func makeDataset() throws -> Dataset {
        let (signals, labels) = generator.generate()
        let length = generator.finalLength
        let all = Split(name: "all", exampleShape: [1, length], inputs: .float32(signals), targets: labels)
        let trainEnd = Int((trainFraction * Double(generator.samples)).rounded())
        let validationCount = Int((validationFraction * Double(trainEnd)).rounded())
        let trainCount = trainEnd - validationCount
        return try TrainExamples.apply(trainExamples, to: Dataset(
            task: Self.name, inputKind: .signal(channels: 1, length: length), outputKind: .classLogits(classes: 10),
            train: all.subset(0..<trainCount, name: "train"),
            validation: all.subset(trainCount..<trainEnd, name: "validation"),
            test: all.subset(trainEnd..<generator.samples, name: "test"),
            notes: ["seed": String(generator.seed), "split": "\(trainCount)/\(validationCount)/\(generator.samples - trainEnd)"]))
    }
}
