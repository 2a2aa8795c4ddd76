/// The `train_examples` option of MNIST-1D and the file tasks: train on the first n examples of the training split
/// while validation and test stay exactly those of the unrestricted task (same examples, same bytes).
///
/// The restriction is applied last, after validation is carved and after normalisation statistics are computed from
/// the full training split, so that only the training split changes. Being a task option, it is part of the task spec:
/// a trained guide in the same manifest (the guide's own baseline on that task) is trained on the same n.
public enum TrainExamples {
    /// Default `none`: the whole training split (today's behaviour; normalised away from job ids).
    public static let field = TaskField(
        "train_examples", .int, default: .null,
        "train on the first N examples of the training split (validation and test unchanged); none: all of them")

    /// The requested count, nil when absent or `none`; refuses values below 1.
    static func read(_ o: TaskOptions) throws -> Int? {
        guard let value = o.values[field.name], value != .null else { return nil }
        let n = try o.int(field)
        try o.require(n >= 1, field, "must be ≥ 1 (or none for the whole training split), got \(n)")
        return n
    }

    /// Refuses `n` larger than the training split's `available` examples, naming the field.
    static func check(_ n: Int?, available: Int, task: String) throws {
        guard let n, n > available else { return }
        throw TaskError(task: task, .invalidValue(
            field.name, message: "is \(n), but the training split has only \(available) examples; lower it or leave it out"))
    }

    /// `dataset` with its training split cut to the first `n` examples (unchanged when nil).
    static func apply(_ n: Int?, to dataset: Dataset) throws -> Dataset {
        guard let n else { return dataset }
        try check(n, available: dataset.train.count, task: dataset.task)
        var notes = dataset.notes
        notes["train_examples"] = String(n)
        notes["split"] = "\(n)/\(dataset.validation.count)/\(dataset.test.count)"
        return Dataset(task: dataset.task, inputKind: dataset.inputKind, outputKind: dataset.outputKind,
                       train: dataset.train.subset(0..<n, name: dataset.train.name), validation: dataset.validation,
                       test: dataset.test, notes: notes, vocabulary: dataset.vocabulary)
    }
}
