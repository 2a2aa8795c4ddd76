import Foundation
import Torch
import XCTest

/// Losses against their definitions written out in Swift.
final class LossTests: XCTestCase {
    let logits: [[Double]] = [[1, 2, 0.5, -1], [0.1, -0.2, 3, 0], [2, 2, -2, 1], [-1, 0, 1, 2]]

    func logSumExp(_ row: [Double]) -> Double {
        let m = row.max()!
        return m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
    }

    /// −log softmax(row)[target]
    func nll(_ row: [Double], _ target: Int) -> Double { logSumExp(row) - row[target] }

    func logitsTensor() throws -> Tensor { try f64(logits.flatMap { $0 }, [4, 4]) }

    func testCrossEntropyWithClassIndices() throws {
        let targets = [1, 2, 0, 3]
        let perRow = zip(logits, targets).map { nll($0, $1) }
        let x = try logitsTensor(), t = try i64(targets.map(Int64.init))
        try assertClose(x.crossEntropy(t), [mean(perRow)], shape: [], tolerance: 1e-14)
        try assertClose(x.crossEntropy(t, reduction: .sum), [perRow.reduce(0, +)], tolerance: 1e-14)
        try assertClose(x.crossEntropy(t, reduction: .none), perRow, shape: [4], tolerance: 1e-14)
    }

    func testCrossEntropyIgnoredPositionsLeaveTheMean() throws {
        let x = try logitsTensor()
        let withDefault = try x.crossEntropy(i64([1, -100, 0, -100]))
        try assertClose(withDefault, [(nll(logits[0], 1) + nll(logits[2], 0)) / 2], tolerance: 1e-14,
                        "mean over the two counted rows, not over all four")
        let custom = try x.crossEntropy(i64([1, 2, 0, 2]), ignoreIndex: 2)
        try assertClose(custom, [(nll(logits[0], 1) + nll(logits[2], 0)) / 2], tolerance: 1e-14)
        try assertClose(x.crossEntropy(i64([1, 2, 0, 2]), ignoreIndex: 2, reduction: .none),
                        [nll(logits[0], 1), 0, nll(logits[2], 0), 0], tolerance: 1e-14)
        try assertClose(x.crossEntropy(i64([1, 2, 0, 2]), ignoreIndex: 2, reduction: .sum),
                        [nll(logits[0], 1) + nll(logits[2], 0)], tolerance: 1e-14)
        // Ignored rows get no gradient.
        let leaf = try logitsTensor().requiresGrad(true)
        try leaf.crossEntropy(i64([1, -100, 0, -100])).backward()
        let grad = try XCTUnwrap(leaf.grad).doubles()
        XCTAssertEqual(Array(grad[4..<8]), [0, 0, 0, 0])
        XCTAssertEqual(Array(grad[12..<16]), [0, 0, 0, 0])
        XCTAssertNotEqual(Array(grad[0..<4]), [0, 0, 0, 0])
    }

    func testCrossEntropyWithLabelSmoothing() throws {
        let targets = [1, 2, 0, 3], eps = 0.2, classes = 4.0
        // (1 − ε)·(−log p_target) + ε/C·Σ_c (−log p_c)
        let perRow = zip(logits, targets).map { row, t in
            (1 - eps) * nll(row, t) + eps / classes * (0..<4).map { nll(row, $0) }.reduce(0, +)
        }
        try assertClose(logitsTensor().crossEntropy(i64(targets.map(Int64.init)), labelSmoothing: eps), [mean(perRow)], tolerance: 1e-14)
        // With ignored rows: their smoothing term is dropped too, and the mean is over the counted rows.
        let ignoring = try logitsTensor().crossEntropy(i64([1, -100, 0, -100]), labelSmoothing: eps)
        try assertClose(ignoring, [(perRow[0] + perRow[2]) / 2], tolerance: 1e-14)
    }

    func testCrossEntropyOverSpatialPositionsAndWithProbabilities() throws {
        // [N 1, C 4, d 4]: class scores along dim 1, one target per position. Logits transposed from `logits`.
        let x = try logitsTensor().transpose(0, 1).unsqueeze(dim: 0)
        let targets = [3, 0, 1, 2]
        let expected = mean(zip(logits, targets).map { nll($0, $1) })
        try assertClose(x.crossEntropy(i64(targets.map(Int64.init), [1, 4])), [expected], tolerance: 1e-14)
        // Class probabilities as float targets of the logits' shape: −Σ_c p_c log softmax_c, averaged over rows.
        let probabilities: [Double] = [0.5, 0.5, 0, 0, 0, 0, 1, 0, 0.25, 0.25, 0.25, 0.25, 0.1, 0.2, 0.3, 0.4]
        var soft: [Double] = []
        for (r, row) in logits.enumerated() { soft.append((0..<4).map { probabilities[r * 4 + $0] * nll(row, $0) }.reduce(0, +)) }
        try assertClose(logitsTensor().crossEntropy(f64(probabilities, [4, 4])), [mean(soft)], tolerance: 1e-14)
    }

    func testNllLossOfLogSoftmaxIsCrossEntropy() throws {
        let x = try logitsTensor(), t = try i64([0, 1, -100, 3])
        try assertClose(x.logSoftmax(dim: 1).nllLoss(t), [try x.crossEntropy(t).item()], tolerance: 1e-14)
        try assertClose(x.nllLoss(i64([1, 0, 0, 2]), reduction: .none), [-2, -0.1, -2, -1], tolerance: 0, "picks −input[target]")
    }

    func testMeanSquaredError() throws {
        let a = try f64([1, 2, 3, 4], [2, 2]), b = try f64([1.5, 0, 3, 7], [2, 2])
        try assertClose(a.mseLoss(b), [(0.25 + 4 + 0 + 9) / 4], shape: [], tolerance: 1e-15)
        try assertClose(a.mseLoss(b, reduction: .sum), [13.25], tolerance: 1e-15)
        try assertClose(a.mseLoss(b, reduction: .none), [0.25, 4, 0, 9], shape: [2, 2], tolerance: 1e-15)
    }

    func testKLDivergence() throws {
        // Rows of target probabilities p (one with a zero entry, which contributes 0) and input log-probabilities.
        let p: [Double] = [0.2, 0.3, 0.5, 0.0, 0.6, 0.4]
        let q: [Double] = [0.1, 0.6, 0.3, 0.25, 0.25, 0.5]
        let pointwise = zip(p, q).map { pi, qi in pi == 0 ? 0 : pi * (Foundation.log(pi) - Foundation.log(qi)) }
        let input = try f64(q.map { Foundation.log($0) }, [2, 3]), target = try f64(p, [2, 3])
        try assertClose(input.klDiv(target), [pointwise.reduce(0, +) / 2], tolerance: 1e-14, "batchmean: sum / batch size")
        try assertClose(input.klDiv(target, batchMean: false, reduction: .mean), [pointwise.reduce(0, +) / 6], tolerance: 1e-14)
        try assertClose(input.klDiv(target, batchMean: false, reduction: .sum), [pointwise.reduce(0, +)], tolerance: 1e-14)
        try assertClose(input.klDiv(target, batchMean: false, reduction: .none), pointwise, shape: [2, 3], tolerance: 1e-14)
        // The same divergence with the target given as log-probabilities (rows without zeros).
        let logTarget = try f64([0.2, 0.3, 0.5, 0.1, 0.5, 0.4].map { Foundation.log($0) }, [2, 3])
        let expected = zip([0.2, 0.3, 0.5, 0.1, 0.5, 0.4], q).map { $0 * (Foundation.log($0) - Foundation.log($1)) }.reduce(0, +) / 2
        try assertClose(input.klDiv(logTarget, logTarget: true), [expected], tolerance: 1e-14)
        try assertClose(input.klDiv(input.exp()), [0], tolerance: 1e-15, "KL(p ‖ p) = 0")
    }
}
