/// Arrays saved with `numpy.save`: an inputs file and a labels file for train and for test.
///
/// Inputs: float32, float64, uint8 (divided by 255) or int64, C order. Layout `auto`: a 2-D
/// integer array is token ids `[N, T]`, a 2-D float array `[N, L]` is signal(1, L), `[N, H, W]`
/// is image(1, H, W) and `[N, C, H, W]` image(C, H, W). Layout `signal` reads `[N, L]` or
/// `[N, C, L]` (multi-channel signals need it), `image` reads `[N, H, W]` or `[N, C, H, W]`,
/// `tokens` reads `[N, T]` integers. Labels: uint8 or int64, `[N]`; classes = the field, or
/// max label + 1 over both files when it is 0. Float inputs are used as given unless `normalize`
/// says otherwise.
public struct NPYTask: TaskDefinition {
    public static let name = "npy"
    public static let summary = "NumPy .npy arrays: train/test inputs and labels"

    enum F {
        static let trainInputs = TaskField("train_inputs", .path, default: nil, ".npy inputs for training, [N, ...]")
        static let trainLabels = TaskField("train_labels", .path, default: nil, ".npy labels for training, [N]")
        static let testInputs = TaskField("test_inputs", .path, default: nil, ".npy inputs for test")
        static let testLabels = TaskField("test_labels", .path, default: nil, ".npy labels for test")
        static let layout = TaskField("layout", .string, default: .string("auto"), choices: ["auto", "signal", "image", "tokens"],
                                      "how to read the per-example shape")
        static let classes = TaskField("classes", .int, default: .int(0), "number of classes; 0 means max label + 1")
        static let vocab = TaskField("vocab", .int, default: .int(0), "token vocabulary for layout tokens; 0 means max id + 1")
    }

    public static let fields = [F.trainInputs, F.trainLabels, F.testInputs, F.testLabels, F.layout, F.classes, F.vocab]
        + ImageFileOptions.fields(normalizeDefault: "none")

    public let paths: (trainInputs: String, trainLabels: String, testInputs: String, testLabels: String)
    public let layout: String
    public let classes: Int
    public let vocab: Int
    let common: ImageFileOptions

    public init(options o: TaskOptions) throws {
        paths = (try o.string(F.trainInputs), try o.string(F.trainLabels), try o.string(F.testInputs), try o.string(F.testLabels))
        layout = try o.string(F.layout)
        classes = try o.int(F.classes, in: 0...1_000_000)
        try o.require(classes != 1, F.classes, "must be 0 (from the labels) or ≥ 2, got 1")
        vocab = try o.int(F.vocab, in: 0...100_000_000)
        common = try ImageFileOptions(o, normalizeDefault: "none", channels: nil)
    }

    /// The input kind for per-example `shape` (without N) of an array of integers or not.
    func inputKind(_ exampleShape: [Int], integer: Bool, vocab: Int, path: String) throws -> InputKind {
        let chosen = layout == "auto" ? (exampleShape.count == 1 ? (integer ? "tokens" : "signal") : "image") : layout
        switch (chosen, exampleShape.count) {
        case ("tokens", 1): return .tokens(length: exampleShape[0], vocab: vocab)
        case ("signal", 1): return .signal(channels: 1, length: exampleShape[0])
        case ("signal", 2): return .signal(channels: exampleShape[0], length: exampleShape[1])
        case ("image", 2): return .image(channels: 1, height: exampleShape[0], width: exampleShape[1])
        case ("image", 3): return .image(channels: exampleShape[0], height: exampleShape[1], width: exampleShape[2])
        default:
            let accepted = ["tokens": "[N, T]", "signal": "[N, L] or [N, C, L]", "image": "[N, H, W] or [N, C, H, W]"][chosen] ?? ""
            throw DatasetFileError(path: path, .wrongContents(
                expected: "inputs shaped \(accepted) for layout \(chosen)", found: "per-example shape \(exampleShape)"))
        }
    }

    public func shape() throws -> TaskShape {
        try makeDataset().shape
    }

    public func makeDataset() throws -> Dataset {
        let trainX = try NPYFile.read(paths.trainInputs)
        let trainY = try NPYFile.read(paths.trainLabels)
        let testX = try NPYFile.read(paths.testInputs)
        let testY = try NPYFile.read(paths.testLabels)
        let trainLabels = try labels(trainY, path: paths.trainLabels, inputs: trainX, inputsPath: paths.trainInputs)
        let testLabels = try labels(testY, path: paths.testLabels, inputs: testX, inputsPath: paths.testInputs)
        guard trainX.shape.count >= 2 else {
            throw DatasetFileError(path: paths.trainInputs, .wrongContents(expected: "an array [N, ...] of examples", found: "shape \(trainX.shape)"))
        }
        guard trainX.shape[0] > 0 else {
            throw DatasetFileError(path: paths.trainInputs, .wrongContents(expected: "at least one example", found: "shape \(trainX.shape)"))
        }
        let exampleShape = Array(trainX.shape.dropFirst())
        guard Array(testX.shape.dropFirst()) == exampleShape else {
            throw DatasetFileError(path: paths.testInputs, .wrongContents(
                expected: "examples shaped \(exampleShape) like \(paths.trainInputs)", found: "\(Array(testX.shape.dropFirst()))"))
        }
        let maxLabel = max(trainLabels.max() ?? 0, testLabels.max() ?? 0)
        let classCount = classes == 0 ? Int(maxLabel) + 1 : classes
        if maxLabel >= classCount {
            throw TaskError(task: Self.name, .invalidValue("classes", message: "is \(classes) but the labels go up to \(maxLabel)"))
        }
        let provisional = try inputKind(exampleShape, integer: trainX.isInteger, vocab: 0, path: paths.trainInputs)
        let outputKind = OutputKind.classLogits(classes: classCount)
        if case .tokens = provisional {
            guard let trainIds = trainX.integers(), let testIds = testX.integers() else {
                throw DatasetFileError(path: paths.trainInputs, .unsupportedDType(found: trainX.descr, supported: ["|u1 (uint8)", "<i8 (int64)"]),
                                       hint: "token ids must be integers")
            }
            let maxId = max(trainIds.max() ?? 0, testIds.max() ?? 0)
            let minId = min(trainIds.min() ?? 0, testIds.min() ?? 0)
            let vocabulary = vocab == 0 ? Int(maxId) + 1 : vocab
            if minId < 0 || maxId >= vocabulary {
                throw TaskError(task: Self.name, .invalidValue("vocab", message: "is \(vocabulary) but token ids span \(minId)...\(maxId)"))
            }
            let kind = InputKind.tokens(length: exampleShape[0], vocab: vocabulary)
            let train = Split(name: "train", exampleShape: exampleShape, inputs: .int64(trainIds), targets: trainLabels)
            let test = Split(name: "test", exampleShape: exampleShape, inputs: .int64(testIds), targets: testLabels)
            let (tr, va) = SplitRule.carveValidation(train, fraction: common.validationFraction, splitSeed: common.splitSeed)
            return try TrainExamples.apply(common.trainExamples, to: Dataset(
                task: Self.name, inputKind: kind, outputKind: outputKind, train: tr, validation: va, test: test,
                notes: ["split": "\(tr.count)/\(va.count)/\(test.count)"]))
        }
        let storedShape = provisional.exampleShape
        let train = Split(name: "train", exampleShape: storedShape, inputs: .float32(trainX.floats(byteDivisor: 255)), targets: trainLabels)
        let test = Split(name: "test", exampleShape: storedShape, inputs: .float32(testX.floats(byteDivisor: 255)), targets: testLabels)
        return try common.assemble(
            task: Self.name, inputKind: provisional, outputKind: outputKind, channels: storedShape[0], train: train, test: test,
            notes: ["train_inputs": paths.trainInputs, "test_inputs": paths.testInputs])
    }

    /// Integer labels `[N]` matching the inputs' N.
    func labels(_ file: NPYFile, path: String, inputs: NPYFile, inputsPath: String) throws -> [Int64] {
        guard let values = file.integers() else {
            throw DatasetFileError(path: path, .unsupportedDType(found: file.descr, supported: ["|u1 (uint8)", "<i8 (int64)"]),
                                   hint: "labels must be integers: a.astype(numpy.int64)")
        }
        guard file.shape.count == 1 else {
            throw DatasetFileError(path: path, .wrongContents(expected: "labels shaped [N]", found: "shape \(file.shape)"))
        }
        let n = inputs.shape.first ?? 0
        guard file.shape[0] == n else {
            throw DatasetFileError(path: path, .countMismatch(inputs: n, inputsFile: inputsPath, labels: file.shape[0]),
                                   hint: "inputs and labels must have the same first dimension")
        }
        if let negative = values.firstIndex(where: { $0 < 0 }) {
            throw DatasetFileError(path: path, .malformed("label \(values[negative]) at index \(negative) is negative"))
        }
        return values
    }
}
