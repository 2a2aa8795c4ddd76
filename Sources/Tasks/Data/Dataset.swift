/// A materialized task: train / validation / test splits plus what they contain.
public struct Dataset: Sendable {
    /// The task name that produced it (`mnist1d`, `copy-paste`, ...).
    public let task: String
    public let inputKind: InputKind
    public let outputKind: OutputKind
    public let train: Split
    public let validation: Split
    public let test: Split
    /// Human-readable facts about how it was built (normalization statistics, vocabulary, file
    /// names); recorded with results, never parsed.
    public let notes: [String: String]
    /// For token tasks with a textual vocabulary (character LM): token id → text.
    public let vocabulary: [String]?

    public init(
        task: String, inputKind: InputKind, outputKind: OutputKind,
        train: Split, validation: Split, test: Split,
        notes: [String: String] = [:], vocabulary: [String]? = nil
    ) {
        self.task = task
        self.inputKind = inputKind
        self.outputKind = outputKind
        self.train = train
        self.validation = validation
        self.test = test
        self.notes = notes
        self.vocabulary = vocabulary
    }

    /// Input and output kinds.
    public var shape: TaskShape { TaskShape(input: inputKind, output: outputKind) }

    /// The split with this name (`train`, `validation`, `test`).
    public func split(named name: String) -> Split? {
        switch name {
        case "train": train
        case "validation": validation
        case "test": test
        default: nil
        }
    }
}
