import Foundation
import Tasks
import XCTest

final class NPYTaskTests: XCTestCase {
    func make(_ f: Fixtures, _ extra: [String: TaskOptionValue] = [:]) throws -> Dataset {
        var o: [String: TaskOptionValue] = [
            "train_inputs": .string(f.path("train_x.npy")), "train_labels": .string(f.path("train_y.npy")),
            "test_inputs": .string(f.path("test_x.npy")), "test_labels": .string(f.path("test_y.npy")),
            "validation_fraction": .int(0),
        ]
        o.merge(extra) { $1 }
        return try TaskRegistry.make("npy", options: o).makeDataset()
    }

    func writeLabels(_ f: Fixtures, train: [Int64], test: [Int64]) throws {
        try f.write("train_y.npy", Fixtures.npy(descr: "<i8", shape: [train.count], payload: Fixtures.littleEndian(train)))
        try f.write("test_y.npy", Fixtures.npy(descr: "|u1", shape: [test.count], payload: test.map { UInt8($0) }))
    }

    func testFloat32SignalsVersion1() throws {
        let f = try Fixtures()
        let x = (0..<4 * 6).map { Float($0) * 0.5 - 3 }
        try f.write("train_x.npy", Fixtures.npy(descr: "<f4", shape: [4, 6], payload: Fixtures.littleEndian(x)))
        try f.write("test_x.npy", Fixtures.npy(descr: "<f4", shape: [1, 6], payload: Fixtures.littleEndian(Array(x.prefix(6)))))
        try writeLabels(f, train: [0, 2, 1, 2], test: [1])
        let data = try make(f)
        XCTAssertEqual(data.inputKind, .signal(channels: 1, length: 6))
        XCTAssertEqual(data.outputKind, .classLogits(classes: 3))
        XCTAssertEqual(data.train.inputs.floats, x)
        XCTAssertEqual(data.train.exampleShape, [1, 6])
        XCTAssertEqual(data.train.targets, [0, 2, 1, 2])
        XCTAssertEqual(data.test.targets, [1])
    }

    func testFloat64ChannelsVersion2AndUInt8ImagesVersion3() throws {
        let f = try Fixtures()
        let x = (0..<3 * 2 * 5).map { Double($0) / 7 }
        try f.write("train_x.npy", Fixtures.npy(descr: "<f8", shape: [3, 2, 5], payload: Fixtures.littleEndian(x), major: 2))
        try f.write("test_x.npy", Fixtures.npy(descr: "<f8", shape: [1, 2, 5], payload: Fixtures.littleEndian(Array(x.prefix(10))), major: 2))
        try writeLabels(f, train: [0, 1, 0], test: [1])
        XCTAssertEqual(try make(f).inputKind, .image(channels: 1, height: 2, width: 5), "3-D arrays read as images by default")
        let signals = try make(f, ["layout": .string("signal")])
        XCTAssertEqual(signals.inputKind, .signal(channels: 2, length: 5))
        XCTAssertEqual(signals.train.inputs.floats, x.map { Float($0) })

        let pixels = (0..<3 * 16).map { UInt8($0 * 5) }
        try f.write("train_x.npy", Fixtures.npy(descr: "|u1", shape: [3, 4, 4], payload: pixels, major: 3))
        try f.write("test_x.npy", Fixtures.npy(descr: "|u1", shape: [1, 4, 4], payload: Array(pixels.prefix(16)), major: 3))
        let images = try make(f, ["classes": .int(5)])
        XCTAssertEqual(images.inputKind, .image(channels: 1, height: 4, width: 4))
        XCTAssertEqual(images.outputKind, .classLogits(classes: 5))
        XCTAssertEqual(images.train.inputs.floats, pixels.map { Float($0) / 255 })
        let normalized = try make(f, ["normalize": .string("train")])
        let v = normalized.train.inputs.floats!.map(Double.init)
        XCTAssertEqual(v.reduce(0, +) / Double(v.count), 0, accuracy: 1e-5)
    }

    func testInt64TokensAndValidationCarving() throws {
        let f = try Fixtures()
        let ids: [Int64] = (0..<10 * 3).map { Int64($0 % 7) }
        try f.write("train_x.npy", Fixtures.npy(descr: "<i8", shape: [10, 3], payload: Fixtures.littleEndian(ids)))
        try f.write("test_x.npy", Fixtures.npy(descr: "<i8", shape: [2, 3], payload: Fixtures.littleEndian(Array(ids.prefix(6)))))
        try writeLabels(f, train: (0..<10).map { $0 % 2 }, test: [0, 1])
        let data = try make(f, ["validation_fraction": .double(0.3)])
        XCTAssertEqual(data.inputKind, .tokens(length: 3, vocab: 7))
        XCTAssertEqual([data.train.count, data.validation.count, data.test.count], [7, 3, 2])
        let vocab = assertThrows(TaskError.self) { try make(f, ["vocab": .int(5)]) }
        XCTAssertEqual(vocab?.description, "task npy: field vocab is 5 but token ids span 0...6")
        XCTAssertEqual(try make(f, ["layout": .string("signal")]).inputKind, .signal(channels: 1, length: 3))
    }

    func testEveryMalformedFileHasItsError() throws {
        let f = try Fixtures()
        let good = Fixtures.npy(descr: "<f4", shape: [2, 3], payload: Fixtures.littleEndian([Float](repeating: 1, count: 6)))
        try f.write("test_x.npy", good)
        try writeLabels(f, train: [0, 1], test: [0, 1])
        let trainPath = f.path("train_x.npy")

        try f.write("train_x.npy", Fixtures.npy(descr: "<f4", shape: [2, 3], payload: Fixtures.littleEndian([Float](repeating: 1, count: 6)), fortran: true))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try make(f) }?.kind, .fortranOrder)

        try f.write("train_x.npy", Fixtures.npy(descr: "<i4", shape: [2, 3], payload: [UInt8](repeating: 0, count: 24)))
        let dtype = assertThrows(DatasetFileError.self) { try make(f) }
        XCTAssertEqual(dtype?.kind, .unsupportedDType(found: "<i4", supported: ["<f4 (float32)", "<f8 (float64)", "|u1 (uint8)", "<i8 (int64)"]))
        XCTAssertEqual(dtype?.path, trainPath)
        try f.write("train_x.npy", Fixtures.npy(descr: ">f4", shape: [2, 3], payload: [UInt8](repeating: 0, count: 24)))
        guard case .unsupportedDType(">f4", _)? = assertThrows(DatasetFileError.self, { try make(f) })?.kind else { return XCTFail("big-endian") }

        var truncated = good
        truncated.removeLast(10)
        try f.write("train_x.npy", truncated)
        let short = assertThrows(DatasetFileError.self) { try make(f) }
        XCTAssertEqual(short?.kind, .truncated(expectedBytes: good.count, foundBytes: good.count - 10))

        try f.write("train_x.npy", Array("PK\u{3}\u{4} a zip file".utf8))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try make(f) }?.kind, .wrongMagic(expected: "\\x93NUMPY", found: "\\x50\\x4b\\x03\\x04\\x20\\x61"))

        try f.write("train_x.npy", good)
        try f.write("train_y.npy", Fixtures.npy(descr: "<i8", shape: [3], payload: Fixtures.littleEndian([0, 1, 1] as [Int64])))
        let count = assertThrows(DatasetFileError.self) { try make(f) }
        XCTAssertEqual(count?.kind, .countMismatch(inputs: 2, inputsFile: trainPath, labels: 3))
        XCTAssertTrue(count?.description.contains("train_y.npy holds 3 labels but \(trainPath) holds 2 inputs") ?? false)

        try f.write("train_y.npy", Fixtures.npy(descr: "<f4", shape: [2], payload: Fixtures.littleEndian([0, 1] as [Float])))
        guard case .unsupportedDType("<f4", _)? = assertThrows(DatasetFileError.self, { try make(f) })?.kind else { return XCTFail("float labels") }

        try writeLabels(f, train: [0, 1], test: [0, 1])
        try f.write("test_x.npy", Fixtures.npy(descr: "<f4", shape: [2, 4], payload: Fixtures.littleEndian([Float](repeating: 1, count: 8))))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try make(f) }?.kind,
                       .wrongContents(expected: "examples shaped [3] like \(trainPath)", found: "[4]"))

        try FileManager.default.removeItem(atPath: f.path("test_x.npy"))
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try make(f) }?.kind, .missing)
    }
}
