/// Fields shared by the file-based tasks: validation carving, per-channel normalization and `train_examples`.
struct ImageFileOptions: Sendable {
    enum F {
        static let validationFraction = TaskField(
            "validation_fraction", .double, default: .double(0.1), "share of the training file moved to validation (seeded pick)")
        static let splitSeed = TaskField("split_seed", .int, default: .int(0), "seed of the validation pick")
        static func normalize(default value: String) -> TaskField {
            TaskField("normalize", .string, default: .string(value), choices: ["train", "none", "given"],
                      "per-channel standardization: statistics from the train split, none, or mean/std given")
        }
        static let mean = TaskField("mean", .numberList, default: .null, "per-channel means when normalize is given")
        static let std = TaskField("std", .numberList, default: .null, "per-channel standard deviations when normalize is given")
    }

    static func fields(normalizeDefault: String) -> [TaskField] {
        [F.validationFraction, F.splitSeed, F.normalize(default: normalizeDefault), F.mean, F.std, TrainExamples.field]
    }

    let validationFraction: Double
    let splitSeed: UInt64
    let normalization: ImageNormalization
    /// Train on the first n training examples (after carving and normalisation); nil: all.
    let trainExamples: Int?

    /// Decodes the shared fields; `channels` (when known) checks the lengths of mean/std.
    init(_ o: TaskOptions, normalizeDefault: String, channels: Int?) throws {
        validationFraction = try o.double(F.validationFraction, in: 0...0.9)
        splitSeed = try o.seed(F.splitSeed)
        trainExamples = try TrainExamples.read(o)
        let normalizeField = F.normalize(default: normalizeDefault)
        let mean = try o.numberList(F.mean)
        let std = try o.numberList(F.std)
        switch try o.string(normalizeField) {
        case "train": normalization = .fromTrain
        case "none": normalization = .none
        default:
            guard let mean else { throw o.invalid(F.mean, "is required when normalize is given") }
            guard let std else { throw o.invalid(F.std, "is required when normalize is given") }
            try o.require(mean.count == std.count, F.std, "must have as many entries as mean, got \(std.count) vs \(mean.count)")
            try o.require(std.allSatisfy { $0 > 0 }, F.std, "entries must be > 0, got \(std)")
            if let channels {
                try o.require(mean.count == channels, F.mean, "must have one entry per channel (\(channels)), got \(mean.count)")
            }
            normalization = .given(mean: mean, std: std)
        }
        if case .given = normalization {} else if mean != nil || std != nil {
            throw o.invalid(mean != nil ? F.mean : F.std, "is only used with normalize: given")
        }
    }

    /// Carves validation, normalizes, and assembles the dataset.
    func assemble(
        task: String, inputKind: InputKind, outputKind: OutputKind, channels: Int,
        train fullTrain: Split, test: Split, notes: [String: String]
    ) throws -> Dataset {
        if case let .given(mean, _) = normalization, mean.count != channels {
            throw TaskError(task: task, .invalidValue("mean", message: "must have one entry per channel (\(channels)), got \(mean.count)"))
        }
        let (train, validation) = SplitRule.carveValidation(fullTrain, fraction: validationFraction, splitSeed: splitSeed)
        let result = normalization.apply(train: train, validation: validation, test: test, channels: channels)
        var notes = notes
        if !result.mean.isEmpty {
            notes["mean"] = result.mean.map { String($0) }.joined(separator: ",")
            notes["std"] = result.std.map { String($0) }.joined(separator: ",")
        }
        notes["split"] = "\(train.count)/\(validation.count)/\(test.count)"
        return try TrainExamples.apply(trainExamples, to: Dataset(
            task: task, inputKind: inputKind, outputKind: outputKind,
            train: result.splits[0], validation: result.splits[1], test: result.splits[2], notes: notes))
    }
}
