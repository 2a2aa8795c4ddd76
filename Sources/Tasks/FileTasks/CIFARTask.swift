/// CIFAR-10 from the binary distribution: a directory holding `data_batch_1.bin` …
/// `data_batch_5.bin` and `test_batch.bin` (or its `cifar-10-batches-bin` subdirectory).
/// Every `data_batch_*.bin` present is read, in batch-number order. Pixels become floats in
/// [0, 1], then per-channel normalization. Input image(3, 32, 32); class logits (10).
public struct CIFARTask: TaskDefinition {
    public static let name = "cifar10"
    public static let summary = "CIFAR-10 binary batches (data_batch_*.bin, test_batch.bin)"

    enum F {
        static let path = TaskField("path", .path, default: nil, "directory holding the .bin batches")
    }

    public static let fields = [F.path] + ImageFileOptions.fields(normalizeDefault: "train")

    public let path: String
    let common: ImageFileOptions

    public init(options o: TaskOptions) throws {
        path = try o.string(F.path)
        common = try ImageFileOptions(o, normalizeDefault: "train", channels: 3)
    }

    public func shape() throws -> TaskShape {
        TaskShape(input: .image(channels: 3, height: 32, width: 32), output: .classLogits(classes: 10))
    }

    /// The directory that holds the batches and the training batch files, in order.
    func locate() throws -> (directory: String, trainFiles: [String]) {
        var directory = path
        var entries = try FileBytes.directoryEntries(path, expected: "data_batch_1.bin … data_batch_5.bin and test_batch.bin")
        if !entries.contains("test_batch.bin"), entries.contains("cifar-10-batches-bin") {
            directory = FileBytes.join(path, "cifar-10-batches-bin")
            entries = try FileBytes.directoryEntries(directory, expected: "data_batch_*.bin and test_batch.bin")
        }
        let batches = entries.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("data_batch_"), name.hasSuffix(".bin"),
                  let n = Int(name.dropFirst("data_batch_".count).dropLast(4)) else { return nil }
            return (n, name)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        guard !batches.isEmpty, entries.contains("test_batch.bin") else {
            let hint = entries.contains("train.bin") ? "this looks like CIFAR-100: use task cifar100"
                : entries.contains(where: { $0.hasSuffix(".py") || $0.hasPrefix("data_batch") && !$0.hasSuffix(".bin") })
                    ? "this looks like the Python (pickle) version: download the binary version" : "download the CIFAR-10 binary version"
            throw DatasetFileError(path: directory, .wrongContents(
                expected: "data_batch_1.bin … data_batch_5.bin and test_batch.bin", found: FileBytes.summarize(entries)), hint: hint)
        }
        return (directory, batches.map { FileBytes.join(directory, $0) })
    }

    public func makeDataset() throws -> Dataset {
        let (directory, trainFiles) = try locate()
        var train = CIFARFile()
        for file in trainFiles { try train.append(file, labelBytes: 1, labelIndex: 0, classes: 10) }
        var test = CIFARFile()
        try test.append(FileBytes.join(directory, "test_batch.bin"), labelBytes: 1, labelIndex: 0, classes: 10)
        return try common.assemble(
            task: Self.name, inputKind: .image(channels: 3, height: 32, width: 32), outputKind: .classLogits(classes: 10),
            channels: 3, train: train.split("train"), test: test.split("test"),
            notes: ["directory": directory, "train_files": String(trainFiles.count)])
    }
}

extension CIFARFile {
    /// The records as a split: floats in [0, 1], `[N, 3, 32, 32]`.
    func split(_ name: String) -> Split {
        Split(name: name, exampleShape: [3, 32, 32], inputs: .float32(pixels.map { Float($0) / 255 }), targets: labels)
    }
}
