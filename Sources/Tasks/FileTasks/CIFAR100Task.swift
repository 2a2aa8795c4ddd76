/// CIFAR-100 from the binary distribution: a directory holding `train.bin` and `test.bin`
/// (or its `cifar-100-binary` subdirectory); records carry a coarse (20 classes) and a fine
/// (100 classes) label, `labels` picks one. Pixels become floats in [0, 1], then per-channel
/// normalization. Input image(3, 32, 32); class logits (100 or 20).
public struct CIFAR100Task: TaskDefinition {
    public static let name = "cifar100"
    public static let summary = "CIFAR-100 binary files (train.bin, test.bin), fine or coarse labels"

    enum F {
        static let path = TaskField("path", .path, default: nil, "directory holding train.bin and test.bin")
        static let labels = TaskField("labels", .string, default: .string("fine"), choices: ["fine", "coarse"], "fine (100) or coarse (20) labels")
    }

    public static let fields = [F.path, F.labels] + ImageFileOptions.fields(normalizeDefault: "train")

    public let path: String
    public let fineLabels: Bool
    let common: ImageFileOptions

    public init(options o: TaskOptions) throws {
        path = try o.string(F.path)
        fineLabels = try o.string(F.labels) == "fine"
        common = try ImageFileOptions(o, normalizeDefault: "train", channels: 3)
    }

    public var classes: Int { fineLabels ? 100 : 20 }

    public func shape() throws -> TaskShape {
        TaskShape(input: .image(channels: 3, height: 32, width: 32), output: .classLogits(classes: classes))
    }

    func locate() throws -> String {
        let expected = "train.bin and test.bin"
        var directory = path
        var entries = try FileBytes.directoryEntries(path, expected: expected)
        if !entries.contains("train.bin"), entries.contains("cifar-100-binary") {
            directory = FileBytes.join(path, "cifar-100-binary")
            entries = try FileBytes.directoryEntries(directory, expected: expected)
        }
        guard entries.contains("train.bin"), entries.contains("test.bin") else {
            let hint = entries.contains("test_batch.bin") ? "this looks like CIFAR-10: use task cifar10" : "download the CIFAR-100 binary version"
            throw DatasetFileError(path: directory, .wrongContents(expected: expected, found: FileBytes.summarize(entries)), hint: hint)
        }
        return directory
    }

    public func makeDataset() throws -> Dataset {
        let directory = try locate()
        let labelIndex = fineLabels ? 1 : 0
        var train = CIFARFile()
        try train.append(FileBytes.join(directory, "train.bin"), labelBytes: 2, labelIndex: labelIndex, classes: classes)
        var test = CIFARFile()
        try test.append(FileBytes.join(directory, "test.bin"), labelBytes: 2, labelIndex: labelIndex, classes: classes)
        return try common.assemble(
            task: Self.name, inputKind: .image(channels: 3, height: 32, width: 32), outputKind: .classLogits(classes: classes),
            channels: 3, train: train.split("train"), test: test.split("test"),
            notes: ["directory": directory, "labels": fineLabels ? "fine" : "coarse"])
    }
}
