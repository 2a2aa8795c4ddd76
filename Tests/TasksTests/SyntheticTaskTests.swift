import Foundation
import Tasks
import XCTest

final class SyntheticTaskTests: XCTestCase {
    func testCopyPasteTargetsAreTheCopiedSequenceAndBlanksAreIgnored() throws {
        let task = CopyPasteTask(sizes: [300, 20, 20], seed: 4)
        let data = try task.makeDataset()
        XCTAssertEqual(data.inputKind, .tokens(length: 82, vocab: 12))
        XCTAssertEqual(data.outputKind, .perTokenLogits(vocab: 12))
        let split = data.train
        let inputs = try XCTUnwrap(split.inputs.tokens)
        let lengths = try XCTUnwrap(split.lengths)
        var seenLengths = Set<Int>()
        for n in 0..<split.count {
            let row = Array(inputs[n * 82..<(n + 1) * 82])
            let target = Array(split.targets[n * 82..<(n + 1) * 82])
            // Recover L from the COPY marker, independently of `lengths`.
            let l = try XCTUnwrap(row.firstIndex(of: 10))
            seenLengths.insert(l)
            XCTAssertTrue((20...40).contains(l))
            XCTAssertEqual(lengths[n], Int64(2 * l + 2))
            let sequence = Array(row[0..<l])
            XCTAssertTrue(sequence.allSatisfy { (1...9).contains($0) }, "symbols are 1...9")
            XCTAssertEqual(Array(row[l + 1...2 * l]), [Int64](repeating: 0, count: l), "blanks after COPY")
            XCTAssertEqual(row[2 * l + 1], 11, "EOS")
            XCTAssertTrue(row[(2 * l + 2)...].allSatisfy { $0 == 0 }, "padding")
            XCTAssertTrue(target[0...l].allSatisfy { $0 == ignoreIndex }, "blank targets are ignored")
            XCTAssertEqual(Array(target[l + 1...2 * l]), sequence, "the copy")
            XCTAssertEqual(target[2 * l + 1], 11)
            XCTAssertTrue(target[(2 * l + 2)...].allSatisfy { $0 == ignoreIndex })
        }
        XCTAssertGreaterThan(seenLengths.count, 15, "lengths spread over [20, 40]")
    }

    func testCopyPasteIsDeterministicAndSeedDependent() throws {
        let a = try CopyPasteTask(sizes: [50, 5, 5], seed: 1).makeDataset()
        let b = try CopyPasteTask(sizes: [50, 5, 5], seed: 1).makeDataset()
        let c = try CopyPasteTask(sizes: [50, 5, 5], seed: 2).makeDataset()
        XCTAssertEqual(a.train, b.train)
        XCTAssertEqual(a.test, b.test)
        XCTAssertNotEqual(a.train.inputs, c.train.inputs)
        XCTAssertNotEqual(a.train.inputs, a.validation.inputs, "splits use different streams")
        // The validation split does not change when the training size does.
        XCTAssertEqual(try CopyPasteTask(sizes: [80, 5, 5], seed: 1).makeDataset().validation, a.validation)
    }

    func testParityLabelsAreParitiesOfTheBits() throws {
        let data = try ParityTask(sizes: [2000, 100, 100], seed: 3).makeDataset()
        XCTAssertEqual(data.inputKind, .tokens(length: 50, vocab: 3))
        XCTAssertEqual(data.outputKind, .classLogits(classes: 2))
        let split = data.train
        let inputs = try XCTUnwrap(split.inputs.tokens)
        let lengths = try XCTUnwrap(split.lengths)
        var lengthRange = (Int.max, Int.min)
        for n in 0..<split.count {
            let row = inputs[n * 50..<(n + 1) * 50]
            let l = Int(lengths[n])
            lengthRange = (min(lengthRange.0, l), max(lengthRange.1, l))
            XCTAssertTrue(row.prefix(l).allSatisfy { $0 == 1 || $0 == 2 })
            XCTAssertTrue(row.dropFirst(l).allSatisfy { $0 == 0 })
            let ones = row.prefix(l).filter { $0 == 2 }.count
            XCTAssertEqual(split.targets[n], Int64(ones % 2))
        }
        XCTAssertEqual(lengthRange.0, 2)
        XCTAssertEqual(lengthRange.1, 50)
        // Labels are balanced: Binomial(2000, ½) has σ ≈ 22.
        XCTAssertEqual(Double(split.classCounts(classes: 2)[1]), 1000, accuracy: 120)
    }

    func testModularAdditionLabelsAndDisjointSplits() throws {
        let data = try ModularAdditionTask(modulus: 13, trainFraction: 0.6, validationFraction: 0.5, seed: 0).makeDataset()
        XCTAssertEqual(data.train.count + data.validation.count + data.test.count, 169)
        XCTAssertEqual(data.train.count, 101)
        var pairs = Set<[Int64]>()
        for split in [data.train, data.validation, data.test] {
            let inputs = try XCTUnwrap(split.inputs.tokens)
            for n in 0..<split.count {
                let row = Array(inputs[n * 4..<(n + 1) * 4])
                XCTAssertEqual(row[1], 13)
                XCTAssertEqual(row[3], 14)
                XCTAssertEqual(split.targets[n], (row[0] + row[2]) % 13)
                pairs.insert([row[0], row[2]])
            }
        }
        XCTAssertEqual(pairs.count, 169, "every pair exactly once across splits")
    }

    func testCharLMVocabularyTargetsAndSplits() throws {
        let fixtures = try Fixtures()
        let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 20) + "é"
        let path = try fixtures.write("corpus.txt", Array(text.utf8))
        let task = CharLMTask(path: path, sequenceLength: 16, validationFraction: 0.1, testFraction: 0.1)
        let data = try task.makeDataset()
        let vocabulary = try XCTUnwrap(data.vocabulary)
        XCTAssertEqual(vocabulary, Set(text.unicodeScalars).sorted { $0.value < $1.value }.map { String($0) })
        XCTAssertEqual(data.outputKind, .nextTokenLogits(vocab: vocabulary.count))
        XCTAssertEqual(try task.shape(), data.shape)
        let inputs = try XCTUnwrap(data.train.inputs.tokens)
        for n in 0..<data.train.count {
            let x = inputs[n * 16..<(n + 1) * 16]
            let y = data.train.targets[n * 16..<(n + 1) * 16]
            XCTAssertEqual(Array(x.dropFirst()), Array(y.dropLast()), "targets are inputs shifted by one")
            let decoded = x.map { vocabulary[Int($0)] }.joined()
            XCTAssertEqual(decoded, String(text.unicodeScalars.dropFirst(n * 16).prefix(16).map(Character.init)))
        }
        XCTAssertFalse(data.validation.isEmpty)
        XCTAssertFalse(data.test.isEmpty)
        let tooShort = CharLMTask(path: path, sequenceLength: 500, validationFraction: 0.1, testFraction: 0.1)
        let error = assertThrows(TaskError.self) { try tooShort.makeDataset() }
        XCTAssertTrue(error?.description.contains("fewer than sequence_length + 1 = 501") ?? false, "\(String(describing: error))")
        let missing = assertThrows(DatasetFileError.self) { try CharLMTask(path: fixtures.path("nope.txt")).makeDataset() }
        XCTAssertEqual(missing?.kind, .missing)
        let binary = try fixtures.write("binary.txt", [0xFF, 0xFE, 0x00])
        XCTAssertEqual(assertThrows(DatasetFileError.self) { try CharLMTask(path: binary).makeDataset() }?.kind,
                       .malformed("is not valid UTF-8 text"))
    }
}
