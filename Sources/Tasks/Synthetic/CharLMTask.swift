/// Character-level language modelling over a plain UTF-8 text file.
///
/// Vocabulary: the distinct Unicode scalars of the whole file, sorted by scalar value (id 0 is
/// the smallest), so it depends only on the file's content. The token stream is cut by position:
/// the first (1 − validation_fraction − test_fraction) of the tokens are training text, then
/// validation, then test (contiguous, so no window straddles two splits). Each split is cut into
/// windows of sequence_length + 1 tokens starting every `stride` tokens; input = the first T
/// tokens, target = the same window shifted by one (target[t] = token t + 1), so loss is a plain
/// per-position cross-entropy. Output: next-token logits; metrics loss, perplexity, token accuracy.
public struct CharLMTask: TaskDefinition {
    public static let name = "char-lm"
    public static let summary = "character-level next-token prediction over a plain text file"

    enum F {
        static let path = TaskField("path", .path, default: nil, "UTF-8 text file")
        static let sequenceLength = TaskField("sequence_length", .int, default: .int(128), "T, tokens per example")
        static let stride = TaskField("stride", .int, default: .int(0), "tokens between window starts; 0 means sequence_length")
        static let validationFraction = TaskField("validation_fraction", .double, default: .double(0.05), "share of the text for validation")
        static let testFraction = TaskField("test_fraction", .double, default: .double(0.05), "share of the text for test (the end)")
    }

    public static let fields = [F.path, F.sequenceLength, F.stride, F.validationFraction, F.testFraction]

    public let path: String
    public let sequenceLength: Int
    public let stride: Int
    public let validationFraction: Double
    public let testFraction: Double

    public init(options o: TaskOptions) throws {
        path = try o.string(F.path)
        try o.require(!path.isEmpty, F.path, "must name a text file, got an empty string")
        sequenceLength = try o.int(F.sequenceLength, in: 1...1_000_000)
        let s = try o.int(F.stride, in: 0...1_000_000)
        stride = s == 0 ? sequenceLength : s
        validationFraction = try o.double(F.validationFraction, in: 0...0.9)
        testFraction = try o.double(F.testFraction, in: 0...0.9)
        try o.require(validationFraction + testFraction < 1, F.testFraction,
                      "plus validation_fraction must be < 1, got \(testFraction) + \(validationFraction)")
    }

    public init(path: String, sequenceLength: Int = 128, stride: Int = 0, validationFraction: Double = 0.05, testFraction: Double = 0.05) {
        self.path = path
        self.sequenceLength = sequenceLength
        self.stride = stride == 0 ? sequenceLength : stride
        self.validationFraction = validationFraction
        self.testFraction = testFraction
    }

    /// The file's text and its sorted scalar vocabulary.
    func readCorpus() throws -> (scalars: [Unicode.Scalar], vocabulary: [Unicode.Scalar]) {
        let bytes = try FileBytes.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DatasetFileError(path: path, .malformed("is not valid UTF-8 text"), hint: "give a plain UTF-8 text file")
        }
        let scalars = Array(text.unicodeScalars)
        let vocabulary = Set(scalars).sorted { $0.value < $1.value }
        return (scalars, vocabulary)
    }

    public func shape() throws -> TaskShape {
        let vocab = try readCorpus().vocabulary.count
        return TaskShape(input: .tokens(length: sequenceLength, vocab: vocab), output: .nextTokenLogits(vocab: vocab))
    }

    public func metrics() throws -> [TaskMetric] { [.loss, .perplexity, .tokenAccuracy] }

    public func makeDataset() throws -> Dataset {
        let (scalars, vocabulary) = try readCorpus()
        var idOf = [Unicode.Scalar: Int64]()
        for (i, s) in vocabulary.enumerated() { idOf[s] = Int64(i) }
        let ids = scalars.map { idOf[$0]! }
        let n = ids.count
        let testStart = n - Int((testFraction * Double(n)).rounded())
        let validationStart = testStart - Int((validationFraction * Double(n)).rounded())
        let parts = [("train", 0..<validationStart), ("validation", validationStart..<testStart), ("test", testStart..<n)]
        var splits = [Split]()
        for (name, range) in parts {
            let split = windows(ids[range], name: name)
            let needed = name == "train" || range.count > 0
            if needed && split.isEmpty {
                throw TaskError(task: Self.name, .dataUnavailable(
                    "\(path): the \(name) part has \(range.count) characters, fewer than sequence_length + 1 = \(sequenceLength + 1); "
                        + "use a longer text, a shorter sequence_length or a larger \(name == "train" ? "train share" : "\(name)_fraction")"))
            }
            splits.append(split)
        }
        let kind = InputKind.tokens(length: sequenceLength, vocab: vocabulary.count)
        return Dataset(
            task: Self.name, inputKind: kind, outputKind: .nextTokenLogits(vocab: vocabulary.count),
            train: splits[0], validation: splits[1], test: splits[2],
            notes: ["file": path, "characters": String(n), "vocab": String(vocabulary.count)],
            vocabulary: vocabulary.map { String($0) })
    }

    /// Windows of T + 1 tokens every `stride` tokens: inputs `[N, T]`, targets `[N, T]`.
    func windows(_ ids: ArraySlice<Int64>, name: String) -> Split {
        let t = sequenceLength
        let count = ids.count >= t + 1 ? (ids.count - t - 1) / stride + 1 : 0
        var inputs = [Int64]()
        var targets = [Int64]()
        inputs.reserveCapacity(count * t)
        targets.reserveCapacity(count * t)
        for w in 0..<count {
            let start = ids.startIndex + w * stride
            inputs += ids[start..<start + t]
            targets += ids[start + 1..<start + t + 1]
        }
        return Split(name: name, exampleShape: [t], inputs: .int64(inputs), targetShape: [t], targets: targets)
    }
}
