/// MNIST or Fashion-MNIST from a directory of IDX files (each optionally gzip-compressed):
/// `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
/// `t10k-labels-idx1-ubyte` (a `.` instead of the second `-`, as some mirrors name them, and a
/// `.gz` suffix are accepted). Pixels become floats in [0, 1], then per-channel normalization.
/// Input image(1, rows, cols); class logits (`classes`, default 10).
public struct IDXTask: TaskDefinition {
    public static let name = "idx"
    public static let summary = "MNIST / Fashion-MNIST from IDX files (optionally .gz) in a directory"

    enum F {
        static let path = TaskField("path", .path, default: nil, "directory holding the four IDX files")
        static let classes = TaskField("classes", .int, default: .int(10), "number of classes (labels must be below it)")
    }

    public static let fields = [F.path, F.classes] + ImageFileOptions.fields(normalizeDefault: "train")

    public let path: String
    public let classes: Int
    let common: ImageFileOptions

    public init(options o: TaskOptions) throws {
        path = try o.string(F.path)
        classes = try o.int(F.classes, in: 2...256)
        common = try ImageFileOptions(o, normalizeDefault: "train", channels: 1)
    }

    static let expectedFiles = "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"

    /// The path of one of the four files (`prefix` train|t10k, `kind` images-idx3|labels-idx1).
    func file(_ prefix: String, _ kind: String, entries: [String]) throws -> String {
        let dotted = kind.replacingFirstDash()
        for name in ["\(prefix)-\(kind)-ubyte", "\(prefix)-\(dotted)-ubyte"] {
            for candidate in [name, name + ".gz"] where entries.contains(candidate) { return FileBytes.join(path, candidate) }
        }
        var hint = "download MNIST or Fashion-MNIST and keep the original file names"
        if entries.contains(where: { $0.hasPrefix("data_batch") || $0.hasPrefix("cifar-10") }) { hint = "this looks like CIFAR-10: use task cifar10" }
        if entries.contains(where: { $0.hasSuffix(".npy") }) { hint = "this holds .npy files: use task npy" }
        throw DatasetFileError(path: path, .wrongContents(
            expected: "\(prefix)-\(kind)-ubyte[.gz] (all of \(Self.expectedFiles))", found: FileBytes.summarize(entries)), hint: hint)
    }

    public func shape() throws -> TaskShape {
        let entries = try FileBytes.directoryEntries(path, expected: Self.expectedFiles)
        let images = try IDXFile.read(try file("train", "images-idx3", entries: entries), rank: 3)
        return TaskShape(input: .image(channels: 1, height: images.dims[1], width: images.dims[2]), output: .classLogits(classes: classes))
    }

    public func makeDataset() throws -> Dataset {
        let entries = try FileBytes.directoryEntries(path, expected: Self.expectedFiles)
        var splits = [Split]()
        var imageShape = [Int]()
        var files = [String]()
        for prefix in ["train", "t10k"] {
            let imagesPath = try file(prefix, "images-idx3", entries: entries)
            let labelsPath = try file(prefix, "labels-idx1", entries: entries)
            let images = try IDXFile.read(imagesPath, rank: 3)
            let labels = try IDXFile.read(labelsPath, rank: 1)
            if prefix == "train" && images.dims[0] == 0 {
                throw DatasetFileError(path: imagesPath, .wrongContents(expected: "at least one image", found: "0 images"))
            }
            guard images.dims[0] == labels.dims[0] else {
                throw DatasetFileError(path: labelsPath, .countMismatch(inputs: images.dims[0], inputsFile: imagesPath, labels: labels.dims[0]),
                                       hint: "the images and labels files must come from the same release")
            }
            if imageShape.isEmpty {
                imageShape = Array(images.dims[1...])
            } else if imageShape != Array(images.dims[1...]) {
                throw DatasetFileError(path: imagesPath, .wrongContents(
                    expected: "\(imageShape[0])×\(imageShape[1]) images like the training file", found: "\(images.dims[1])×\(images.dims[2])"))
            }
            var targets = [Int64]()
            targets.reserveCapacity(labels.dims[0])
            for (i, label) in labels.values.enumerated() {
                guard Int(label) < classes else {
                    throw DatasetFileError(path: labelsPath, .malformed("label \(label) at index \(i) is not below classes = \(classes)"),
                                           hint: "raise the task's classes field")
                }
                targets.append(Int64(label))
            }
            let pixels = images.values.map { Float($0) / 255 }
            splits.append(Split(name: prefix == "train" ? "train" : "test", exampleShape: [1] + imageShape, inputs: .float32(pixels), targets: targets))
            files += [imagesPath, labelsPath]
        }
        return try common.assemble(
            task: Self.name, inputKind: .image(channels: 1, height: imageShape[0], width: imageShape[1]),
            outputKind: .classLogits(classes: classes), channels: 1, train: splits[0], test: splits[1],
            notes: ["files": files.joined(separator: ",")])
    }
}

extension String {
    /// `images-idx3` → `images.idx3`.
    func replacingFirstDash() -> String {
        guard let i = firstIndex(of: "-") else { return self }
        return String(self[..<i]) + "." + String(self[index(after: i)...])
    }
}
