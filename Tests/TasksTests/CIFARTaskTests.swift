import Foundation
import Tasks
import XCTest

final class CIFARTaskTests: XCTestCase {
    /// A record: label byte(s), then 3072 pixels where channel c, pixel p holds (seed + 3c + p) mod 256.
    static func record(labels: [UInt8], seed: Int) -> [UInt8] {
        labels + (0..<3).flatMap { c in (0..<1024).map { p in UInt8((seed + 3 * c + p) % 256) } }
    }

    func options(_ path: String, _ extra: [String: TaskOptionValue] = [:]) -> [String: TaskOptionValue] {
        var o: [String: TaskOptionValue] = ["path": .string(path), "normalize": .string("none"), "validation_fraction": .int(0)]
        o.merge(extra) { $1 }
        return o
    }

    func writeCIFAR10(_ f: Fixtures, in dir: String = "c10") throws -> String {
        let directory = try f.subdirectory(dir)
        try f.write("\(dir)/data_batch_1.bin", [3, 7, 1].enumerated().flatMap { Self.record(labels: [$0.element], seed: $0.offset) })
        try f.write("\(dir)/data_batch_2.bin", [9, 0].enumerated().flatMap { Self.record(labels: [$0.element], seed: 10 + $0.offset) })
        try f.write("\(dir)/test_batch.bin", [5, 5].enumerated().flatMap { Self.record(labels: [$0.element], seed: 20 + $0.offset) })
        try f.write("\(dir)/batches.meta.txt", Array("airplane\n".utf8))
        return directory
    }

    func testCIFAR10RoundTripInBatchOrderAndChannelPlanes() throws {
        let f = try Fixtures()
        let data = try TaskRegistry.make("cifar10", options: options(try writeCIFAR10(f))).makeDataset()
        XCTAssertEqual(data.inputKind, .image(channels: 3, height: 32, width: 32))
        XCTAssertEqual(data.outputKind, .classLogits(classes: 10))
        XCTAssertEqual(data.train.targets, [3, 7, 1, 9, 0])
        XCTAssertEqual(data.test.targets, [5, 5])
        let x = try XCTUnwrap(data.train.inputs.floats)
        // Example 3 (seed 10), channel 2 (blue), row 1, column 5 → pixel index 37.
        XCTAssertEqual(x[3 * 3072 + 2 * 1024 + 37], Float((10 + 6 + 37) % 256) / 255)
        // The cifar-10-batches-bin subdirectory is found too.
        _ = try writeCIFAR10(f, in: "outer/cifar-10-batches-bin")
        XCTAssertEqual(try TaskRegistry.make("cifar10", options: options(f.path("outer"))).makeDataset().train.targets, [3, 7, 1, 9, 0])
    }

    func testCIFAR10TrainNormalizationZeroesChannelMeans() throws {
        let f = try Fixtures()
        let data = try TaskRegistry.make("cifar10", options: ["path": .string(try writeCIFAR10(f))]).makeDataset()
        XCTAssertEqual(data.train.count + data.validation.count, 5)
        let x = data.train.inputs.floats!
        for c in 0..<3 {
            var sum = 0.0
            for n in 0..<data.train.count { for p in 0..<1024 { sum += Double(x[n * 3072 + c * 1024 + p]) } }
            XCTAssertEqual(sum / Double(data.train.count * 1024), 0, accuracy: 1e-5)
        }
        XCTAssertEqual(data.notes["mean"]?.split(separator: ",").count, 3)
    }

    func testCIFAR100FineAndCoarseLabels() throws {
        let f = try Fixtures()
        let directory = try f.subdirectory("c100")
        try f.write("c100/train.bin", [(1, 42), (19, 99), (0, 7)].enumerated().flatMap {
            Self.record(labels: [UInt8($0.element.0), UInt8($0.element.1)], seed: $0.offset)
        })
        try f.write("c100/test.bin", Self.record(labels: [4, 55], seed: 9))
        let fine = try TaskRegistry.make("cifar100", options: options(directory)).makeDataset()
        XCTAssertEqual(fine.outputKind, .classLogits(classes: 100))
        XCTAssertEqual(fine.train.targets, [42, 99, 7])
        XCTAssertEqual(fine.test.targets, [55])
        let coarse = try TaskRegistry.make("cifar100", options: options(directory, ["labels": .string("coarse")])).makeDataset()
        XCTAssertEqual(coarse.outputKind, .classLogits(classes: 20))
        XCTAssertEqual(coarse.train.targets, [1, 19, 0])
        XCTAssertEqual(coarse.train.inputs, fine.train.inputs)
        // CIFAR-10 pointed at the CIFAR-100 directory says so.
        let wrong = assertThrows(DatasetFileError.self) { try TaskRegistry.make("cifar10", options: options(directory)).makeDataset() }
        XCTAssertEqual(wrong?.kind, .wrongContents(expected: "data_batch_1.bin … data_batch_5.bin and test_batch.bin", found: "test.bin, train.bin"))
        XCTAssertEqual(wrong?.hint, "this looks like CIFAR-100: use task cifar100")
    }

    func testTruncatedBatchAndOutOfRangeLabel() throws {
        let f = try Fixtures()
        let directory = try writeCIFAR10(f)
        let two = (0..<2).flatMap { Self.record(labels: [1], seed: $0) }
        try f.write("c10/data_batch_2.bin", Array(two.dropLast(5)))
        let truncated = assertThrows(DatasetFileError.self) { try TaskRegistry.make("cifar10", options: options(directory)).makeDataset() }
        XCTAssertEqual(truncated?.path, f.path("c10/data_batch_2.bin"))
        XCTAssertEqual(truncated?.kind, .truncated(expectedBytes: 2 * 3073, foundBytes: 2 * 3073 - 5))
        try f.write("c10/data_batch_2.bin", Self.record(labels: [12], seed: 0))
        let label = assertThrows(DatasetFileError.self) { try TaskRegistry.make("cifar10", options: options(directory)).makeDataset() }
        XCTAssertEqual(label?.kind, .malformed("record 0 has label 12, but there are only 10 classes"))
        // A CIFAR-100 file under a CIFAR-10 name: its size fits 3074-byte records.
        try f.write("c10/data_batch_2.bin", (0..<3).flatMap { Self.record(labels: [1, 2], seed: $0) })
        let hundred = assertThrows(DatasetFileError.self) { try TaskRegistry.make("cifar10", options: options(directory)).makeDataset() }
        XCTAssertTrue(hundred?.hint.contains("CIFAR-100") ?? false, "\(String(describing: hundred))")
    }
}
