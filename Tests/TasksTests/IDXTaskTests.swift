import Foundation
import Tasks
import XCTest

final class IDXTaskTests: XCTestCase {
    /// 5 training images of 3×4 (image i pixel j = 10·i + j), labels i mod 3; 2 test images.
    func writeMNIST(_ f: Fixtures, gzip: Bool = false, dotted: Bool = false, dir: String = "mnist") throws -> String {
        let directory = try f.subdirectory(dir)
        func name(_ prefix: String, _ kind: String) -> String {
            let base = dotted ? "\(dir)/\(prefix)-\(kind.replacingOccurrences(of: "-idx", with: ".idx"))-ubyte" : "\(dir)/\(prefix)-\(kind)-ubyte"
            return gzip ? base + ".gz" : base
        }
        for (prefix, count) in [("train", 5), ("t10k", 2)] {
            let pixels = (0..<count).flatMap { i in (0..<12).map { UInt8(10 * i + $0 + (prefix == "t10k" ? 100 : 0)) } }
            let images = Fixtures.idx(dims: [count, 3, 4], values: pixels)
            let labels = Fixtures.idx(dims: [count], values: (0..<count).map { UInt8($0 % 3) })
            try f.write(name(prefix, "images-idx3"), gzip ? Fixtures.gzip(images) : images)
            try f.write(name(prefix, "labels-idx1"), gzip ? Fixtures.gzip(labels) : labels)
        }
        return directory
    }

    func plain(_ path: String, _ extra: [String: TaskOptionValue] = [:]) throws -> Dataset {
        var options: [String: TaskOptionValue] = ["path": .string(path), "normalize": .string("none"), "validation_fraction": .int(0)]
        options.merge(extra) { $1 }
        return try TaskRegistry.make("idx", options: options).makeDataset()
    }

    func checkRoundTrip(_ data: Dataset, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(data.inputKind, .image(channels: 1, height: 3, width: 4), file: file, line: line)
        XCTAssertEqual(data.outputKind, .classLogits(classes: 10), file: file, line: line)
        XCTAssertEqual(data.train.count, 5, file: file, line: line)
        XCTAssertEqual(data.train.targets, [0, 1, 2, 0, 1], file: file, line: line)
        XCTAssertEqual(data.train.inputs.floats?[12 * 2 + 5], Float(25) / 255, file: file, line: line)
        XCTAssertEqual(data.test.inputs.floats?[12 + 11], Float(121) / 255, file: file, line: line)
        XCTAssertEqual(data.test.targets, [0, 1], file: file, line: line)
    }

    func testPlainAndGzipAndDottedNamesRoundTrip() throws {
        let f = try Fixtures()
        checkRoundTrip(try plain(try writeMNIST(f, dir: "plain")))
        checkRoundTrip(try plain(try writeMNIST(f, gzip: true, dir: "gz")))
        checkRoundTrip(try plain(try writeMNIST(f, dotted: true, dir: "dotted")))
        let shape = try TaskRegistry.make("idx", options: ["path": .string(f.path("gz"))]).shape()
        XCTAssertEqual(shape.input, .image(channels: 1, height: 3, width: 4))
    }

    func testGzipFixtureMatchesSystemGzip() throws {
        // A second, independent producer when the system has gzip.
        let gzip = ["/bin/gzip", "/usr/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipIf(gzip == nil, "no gzip binary")
        let f = try Fixtures()
        let directory = try writeMNIST(f, dir: "sys")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: gzip!)
            process.arguments = [joinPath(directory, name)]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
        }
        checkRoundTrip(try plain(directory))
    }

    func testNormalizationAndValidationCarving() throws {
        let f = try Fixtures()
        let directory = try writeMNIST(f)
        let data = try TaskRegistry.make("idx", options: ["path": .string(directory), "validation_fraction": .double(0.4)]).makeDataset()
        XCTAssertEqual(data.train.count, 3)
        XCTAssertEqual(data.validation.count, 2)
        let train = data.train.inputs.floats!.map(Double.init)
        let mean = train.reduce(0, +) / Double(train.count)
        let variance = train.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(train.count)
        XCTAssertEqual(mean, 0, accuracy: 1e-5)
        XCTAssertEqual(variance, 1, accuracy: 1e-4)
        XCTAssertNotNil(data.notes["mean"])
        // Same split_seed → same pick; the two parts partition the file's examples.
        let again = try TaskRegistry.make("idx", options: ["path": .string(directory), "validation_fraction": .double(0.4)]).makeDataset()
        XCTAssertEqual(again.validation, data.validation)
        XCTAssertEqual((data.train.targets + data.validation.targets).sorted(), [0, 0, 1, 1, 2])
        let given = try plain(directory, ["normalize": .string("given"), "mean": .array([.double(0.5)]), "std": .array([.double(0.25)])])
        XCTAssertEqual(Double(given.train.inputs.floats![1]), (1.0 / 255 - 0.5) / 0.25, accuracy: 1e-6)
    }

    func testTruncatedFileSaysExpectedAndFoundBytes() throws {
        let f = try Fixtures()
        let directory = try writeMNIST(f)
        let images = Fixtures.idx(dims: [5, 3, 4], values: [UInt8](repeating: 1, count: 57))
        try f.write("mnist/train-images-idx3-ubyte", images)
        let error = assertThrows(DatasetFileError.self) { try plain(directory) }
        XCTAssertEqual(error?.kind, .truncated(expectedBytes: 16 + 60, foundBytes: 16 + 57))
        XCTAssertTrue(error?.description.contains("train-images-idx3-ubyte is truncated: expected 76 bytes, found 73") ?? false)
    }

    func testWrongMagicUnsupportedTypeAndCountMismatch() throws {
        let f = try Fixtures()
        let directory = try writeMNIST(f)
        // A labels file where images are expected.
        try f.write("mnist/train-images-idx3-ubyte", Fixtures.idx(dims: [5], values: [0, 1, 2, 0, 1]))
        let magic = assertThrows(DatasetFileError.self) { try plain(directory) }
        XCTAssertEqual(magic?.kind, .wrongMagic(expected: "0x00000803 (unsigned bytes, 3 dimensions)", found: "0x00000801"))
        try f.write("mnist/train-images-idx3-ubyte", Array("hello, not idx".utf8))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try plain(directory) }?.kind,
                       .wrongMagic(expected: "0x00000803 (unsigned bytes, 3 dimensions)", found: "0x68656c6c"))
        try f.write("mnist/train-images-idx3-ubyte", Fixtures.idx(type: 0x0D, dims: [5, 3, 4], values: [UInt8](repeating: 0, count: 240)))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try plain(directory) }?.kind,
                       .unsupportedDType(found: "float32 (0x0d)", supported: ["unsigned byte (0x08)"]))
        try f.write("mnist/train-images-idx3-ubyte", Fixtures.idx(dims: [5, 0, 4], values: []))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try plain(directory) }?.kind, .malformed("declares a size-0 dimension in shape [5, 0, 4]"))
        try f.write("mnist/train-images-idx3-ubyte", Fixtures.idx(dims: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], values: []))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try plain(directory) }?.kind,
                       .malformed("declares an impossibly large shape [4294967295, 4294967295, 4294967295]"))
        try f.write("mnist/train-images-idx3-ubyte", Fixtures.idx(dims: [5, 3, 4], values: [UInt8](repeating: 0, count: 60)))
        try f.write("mnist/train-labels-idx1-ubyte", Fixtures.idx(dims: [4], values: [0, 1, 2, 0]))
        let mismatch = assertThrows(DatasetFileError.self) { try plain(directory) }
        XCTAssertEqual(mismatch?.path, f.path("mnist/train-labels-idx1-ubyte"))
        XCTAssertEqual(mismatch?.kind, .countMismatch(inputs: 5, inputsFile: f.path("mnist/train-images-idx3-ubyte"), labels: 4))
        try f.write("mnist/train-labels-idx1-ubyte", Fixtures.idx(dims: [5], values: [0, 1, 12, 0, 1]))
        let label = assertThrows(DatasetFileError.self) { try plain(directory) }
        XCTAssertEqual(label?.kind, .malformed("label 12 at index 2 is not below classes = 10"))
    }

    func testBrokenGzipWrongDirectoryMissingPathAndFileInsteadOfDirectory() throws {
        let f = try Fixtures()
        let directory = try writeMNIST(f, gzip: true)
        let compressed = Fixtures.gzip(Fixtures.idx(dims: [5], values: [0, 1, 2, 0, 1]))
        try f.write("mnist/train-labels-idx1-ubyte.gz", Array(compressed.prefix(compressed.count / 2)))
        let gzipError = assertThrows(DatasetFileError.self) { try plain(directory) }
        XCTAssertEqual(gzipError?.kind, .malformed("is not a valid gzip file: the compressed stream ends early (truncated)"))

        let cifar = try f.subdirectory("cifar")
        try f.write("cifar/data_batch_1.bin", [0])
        let wrong = assertThrows(DatasetFileError.self) { try plain(cifar) }
        guard case let .wrongContents(expected, found)? = wrong?.kind else { return XCTFail("\(String(describing: wrong))") }
        XCTAssertTrue(expected.contains("train-images-idx3-ubyte"))
        XCTAssertEqual(found, "data_batch_1.bin")
        XCTAssertTrue(wrong?.hint.contains("cifar10") ?? false)

        XCTAssertEqual(assertThrows(DatasetFileError.self) { try plain(f.path("absent")) }?.kind, .missing)
        let file = try f.write("file.txt", [1])
        guard case .wrongContents(_, "a file")? = assertThrows(DatasetFileError.self, { try plain(file) })?.kind else {
            return XCTFail("a file where a directory is expected")
        }
    }
}

/// `directory/name`.
func joinPath(_ directory: String, _ name: String) -> String { directory + "/" + name }
