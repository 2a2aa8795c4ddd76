/// A task: a name, documented fields, validated options, input/output kinds, metrics, and a
/// way to materialize the data.
///
/// Every task's data depends only on its options (each task has its own data `seed` field), not
/// on a job's training seed: guide and target runs of one sweep see the same examples. The
/// training seed only orders batches (`Split.trainingBatches(size:seed:epoch:)`).
public protocol TaskDefinition: Sendable {
    /// Registry name, e.g. `copy-paste`.
    static var name: String { get }
    /// One line for `guidance tasks`.
    static var summary: String { get }
    /// Every option, with its default.
    static var fields: [TaskField] { get }

    /// Decodes and validates `options` (built with `Self.fields`); errors name the field.
    init(options: TaskOptions) throws

    /// Input and output kinds. File-based tasks read file headers (cheap) to answer.
    func shape() throws -> TaskShape

    /// Metrics a trainer should report, the first being the loss.
    func metrics() throws -> [TaskMetric]

    /// Generates or loads the three splits. Deterministic in the options.
    func makeDataset() throws -> Dataset
}

/// What goes into and comes out of a model for a task.
public struct TaskShape: Sendable, Hashable {
    public let input: InputKind
    public let output: OutputKind

    public init(input: InputKind, output: OutputKind) {
        self.input = input
        self.output = output
    }

    /// The usual metrics for this output kind: loss and accuracy, plus top-5 accuracy for
    /// classification with more than 5 classes; token accuracy (and perplexity for LM) for
    /// per-position outputs.
    public var defaultMetrics: [TaskMetric] {
        switch output {
        case let .classLogits(classes): classes > 5 ? [.loss, .accuracy, .topKAccuracy(5)] : [.loss, .accuracy]
        case .perTokenLogits: [.loss, .tokenAccuracy]
        case .nextTokenLogits: [.loss, .perplexity, .tokenAccuracy]
        }
    }
}

extension TaskDefinition {
    public func metrics() throws -> [TaskMetric] { try shape().defaultMetrics }

    /// The registry entry for this task type.
    public static var descriptor: TaskDescriptor {
        TaskDescriptor(name: name, summary: summary, fields: fields) { try Self(options: $0) }
    }
}

/// A registry entry: how to describe a task and how to build it from options.
public struct TaskDescriptor: Sendable {
    public let name: String
    public let summary: String
    public let fields: [TaskField]
    let build: @Sendable (TaskOptions) throws -> any TaskDefinition

    public init(
        name: String, summary: String, fields: [TaskField],
        build: @escaping @Sendable (TaskOptions) throws -> any TaskDefinition
    ) {
        self.name = name
        self.summary = summary
        self.fields = fields
        self.build = build
    }

    /// Decodes `values` against the fields and builds the task (validation included).
    public func make(_ values: [String: TaskOptionValue]) throws -> any TaskDefinition {
        try build(TaskOptions(task: name, values: values, fields: fields))
    }
}
