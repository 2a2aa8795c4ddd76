import Foundation
import Tasks
import XCTest

final class BatchSequenceTests: XCTestCase {
    /// 10 examples of shape [1, 3]; example i holds i·10, i·10+1, i·10+2 and label i.
    let split = Split(
        name: "train", exampleShape: [1, 3],
        inputs: .float32((0..<10).flatMap { i in (0..<3).map { Float(i * 10 + $0) } }),
        targets: (0..<10).map { Int64($0) })

    func testBatchCopiesTheRequestedRows() {
        let batch = split.batch([7, 2])
        XCTAssertEqual(batch.inputShape, [2, 1, 3])
        XCTAssertEqual(batch.targetShape, [2])
        XCTAssertEqual(batch.inputs.floats, [70, 71, 72, 20, 21, 22])
        XCTAssertEqual(batch.targets, [7, 2])
        XCTAssertNil(batch.lengths)
    }

    func testTrainingBatchesAreFixedSizeShuffledPerEpochAndReproducible() {
        let epoch0 = Array(split.trainingBatches(size: 4, seed: 1, epoch: 0))
        XCTAssertEqual(epoch0.count, 2)  // 10 // 4; the remainder of 2 is dropped
        XCTAssertTrue(epoch0.allSatisfy { $0.count == 4 })
        let labels0 = epoch0.flatMap(\.targets)
        XCTAssertEqual(Set(labels0).count, 8)
        // Labels equal the row index, so inputs must follow the same order.
        for b in epoch0 { XCTAssertEqual(b.inputs.floats!.enumerated().filter { $0.offset % 3 == 0 }.map { Int64($0.element) / 10 }, b.targets) }
        XCTAssertEqual(Array(split.trainingBatches(size: 4, seed: 1, epoch: 0)), epoch0)
        let orders = (0..<5).map { split.trainingBatches(size: 4, seed: 1, epoch: $0).order }
        XCTAssertGreaterThan(Set(orders).count, 1, "epochs should have different orders")
        XCTAssertNotEqual(split.trainingBatches(size: 4, seed: 2, epoch: 0).order, orders[0])
    }

    func testEvaluationBatchesCoverEveryExampleOnceInOrder() {
        let batches = Array(split.evaluationBatches(size: 4))
        XCTAssertEqual(batches.map(\.count), [4, 4, 2])
        XCTAssertEqual(batches.flatMap(\.targets), (0..<10).map { Int64($0) })
    }

    func testMaskFollowsLengths() {
        let tokens = Split(name: "t", exampleShape: [4], inputs: .int64([1, 2, 0, 0, 1, 1, 1, 0]), targets: [0, 1], lengths: [2, 3])
        let batch = tokens.batch([1, 0])
        XCTAssertEqual(batch.lengths, [3, 2])
        XCTAssertEqual(batch.mask, [true, true, true, false, true, true, false, false])
        XCTAssertEqual(batch.inputs.tokens, [1, 1, 1, 0, 1, 2, 0, 0])
    }

    /// Best of several rounds of the mean time per batch, in seconds.
    private func timePerBatch(_ split: Split, size: Int) -> Double {
        let sequence = split.trainingBatches(size: size, seed: 0, epoch: 0)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            var checksum = 0
            for i in 0..<sequence.batchCount { checksum &+= sequence.batch(i).count }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            XCTAssertEqual(checksum, sequence.batchCount * size)
            best = min(best, elapsed / Double(sequence.batchCount))
        }
        return best
    }

    func testBatchProductionIsCheap() throws {
        let mnist = try MNIST1DTask().makeDataset().train  // 3600 × [1, 40]
        let signalTime = timePerBatch(mnist, size: 256)
        var rng = SeededRandom(seed: 0)
        let tokens = Split(name: "tokens", exampleShape: [100], inputs: .int64((0..<4096 * 100).map { _ in Int64(rng.int(below: 50)) }),
                           targetShape: [100], targets: [Int64](repeating: 1, count: 4096 * 100))
        let tokenTime = timePerBatch(tokens, size: 256)
        print("batch time: 256×40 signal \(signalTime * 1e6) µs, 256×100 tokens \(tokenTime * 1e6) µs")
        XCTAssertLessThan(signalTime, 1e-3)
        XCTAssertLessThan(tokenTime, 1e-3)
    }
}
