import Foundation
import Tasks
import XCTest

/// `train_examples: n` trains on the first n training examples; validation and test stay byte-identical.
final class TrainExamplesTests: XCTestCase {
    /// Bit patterns, so that "identical" means the same bytes (not merely == on floats).
    private func bits(_ split: Split) -> ([UInt32], [Int64], [Int64]?) {
        ((split.inputs.floats ?? []).map(\.bitPattern), (split.inputs.tokens ?? []) + split.targets, split.lengths)
    }

    private func assertIdentical(_ a: Split, _ b: Split, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let (ai, at, al) = bits(a), (bi, bt, bl) = bits(b)
        XCTAssertEqual(ai, bi, "\(what) inputs", file: file, line: line)
        XCTAssertEqual(at, bt, "\(what) targets", file: file, line: line)
        XCTAssertEqual(al, bl, "\(what) lengths", file: file, line: line)
        XCTAssertEqual(a.exampleShape, b.exampleShape, file: file, line: line)
    }

    func testMNIST1DTrainsOnAPrefixAndKeepsValidationAndTest() throws {
        let full = try TaskRegistry.make("mnist1d", options: ["samples": .int(1000)]).makeDataset()
        let cut = try TaskRegistry.make("mnist1d", options: ["samples": .int(1000), "train_examples": .int(100)]).makeDataset()
        XCTAssertEqual(full.train.count, 720)
        XCTAssertEqual(cut.train.count, 100)
        assertIdentical(cut.train, full.train.subset(0..<100, name: "train"), "train prefix")
        assertIdentical(cut.validation, full.validation, "validation")
        assertIdentical(cut.test, full.test, "test")
        // The whole split is allowed; none is today's behaviour.
        let all = try TaskRegistry.make("mnist1d", options: ["samples": .int(1000), "train_examples": .int(720)]).makeDataset()
        assertIdentical(all.train, full.train, "n = split size")
        let none = try TaskRegistry.make("mnist1d", options: ["samples": .int(1000), "train_examples": .null]).makeDataset()
        assertIdentical(none.train, full.train, "none")
    }

    func testMoreThanTheSplitOrBelowOneIsRefusedNamingTheField() {
        for n in [721, 0, -3] {
            XCTAssertThrowsError(try TaskRegistry.make("mnist1d", options: ["samples": .int(1000), "train_examples": .int(n)])) { error in
                guard case .invalidValue(let field, let message)? = (error as? TaskError)?.kind else { return XCTFail("\(error)") }
                XCTAssertEqual(field, "train_examples")
                if n > 0 { XCTAssertTrue(message.contains("720"), message) }
            }
        }
        XCTAssertThrowsError(try TaskRegistry.make("mnist1d", options: ["train_examples": .string("all")]))
    }

    /// A file task normalised from its training split: the statistics come from the whole split, so validation and
    /// test are the same bytes with and without the restriction (only the training split shrinks).
    func testNPYNormalisesFromTheWholeSplitThenCuts() throws {
        let f = try Fixtures()
        let x = (0..<10 * 4).map { Float(($0 * 37) % 23) / 5 }
        try f.write("train_x.npy", Fixtures.npy(descr: "<f4", shape: [10, 4], payload: Fixtures.littleEndian(x)))
        try f.write("test_x.npy", Fixtures.npy(descr: "<f4", shape: [2, 4], payload: Fixtures.littleEndian(Array(x.prefix(8)))))
        try f.write("train_y.npy", Fixtures.npy(descr: "<i8", shape: [10], payload: Fixtures.littleEndian((0..<10).map { Int64($0 % 3) })))
        try f.write("test_y.npy", Fixtures.npy(descr: "<i8", shape: [2], payload: Fixtures.littleEndian([Int64(0), 1])))
        var options: [String: TaskOptionValue] = [
            "train_inputs": .string(f.path("train_x.npy")), "train_labels": .string(f.path("train_y.npy")),
            "test_inputs": .string(f.path("test_x.npy")), "test_labels": .string(f.path("test_y.npy")),
            "validation_fraction": .double(0.2), "normalize": .string("train"),
        ]
        let full = try TaskRegistry.make("npy", options: options).makeDataset()
        options["train_examples"] = .int(3)
        let cut = try TaskRegistry.make("npy", options: options).makeDataset()
        XCTAssertEqual(full.train.count, 8)
        assertIdentical(cut.train, full.train.subset(0..<3, name: "train"), "train prefix")
        assertIdentical(cut.validation, full.validation, "validation")
        assertIdentical(cut.test, full.test, "test")
        XCTAssertEqual(cut.notes["mean"], full.notes["mean"])
        options["train_examples"] = .int(9)
        XCTAssertThrowsError(try TaskRegistry.make("npy", options: options).makeDataset()) { error in
            XCTAssertTrue("\(error)".contains("train_examples") && "\(error)".contains("8"), "\(error)")
        }
    }

    func testEveryFileTaskAndMNIST1DDeclaresTheField() throws {
        for task in ["mnist1d", "idx", "cifar10", "cifar100", "npy"] {
            XCTAssertTrue(try TaskRegistry.descriptor(named: task).fields.contains { $0.name == "train_examples" && $0.defaultValue == .null }, task)
        }
    }
}
