import Foundation
import Torch
import XCTest

/// Batch and layer normalisation, softmax and dropout against formulas written out in Swift.
final class NormalizationTests: XCTestCase {
    /// x: [N 3, C 2, L 2] and its per-channel values (over N and L).
    let x: [Double] = [1, 2, 10, 20, 3, 5, 30, 40, -1, 0, 0, 60]
    func channel(_ c: Int) -> [Double] {
        (0..<3).flatMap { n in (0..<2).map { l in x[(n * 2 + c) * 2 + l] } }
    }

    func testBatchNormTrainingUpdatesRunningStatsWithUnbiasedVariance() throws {
        let weight = [1.5, -0.5], bias = [0.25, 2.0], momentum = 0.3, eps = 1e-5
        let runningMean = try f64([0.5, -1]), runningVar = try f64([2, 3])
        let out = try f64(x, [3, 2, 2]).batchNorm(weight: f64(weight), bias: f64(bias), runningMean: runningMean,
                                                  runningVar: runningVar, training: true, momentum: momentum, eps: eps)
        var expected = [Double](repeating: 0, count: 12)
        var newMean: [Double] = [], newVar: [Double] = []
        for c in 0..<2 {
            let values = channel(c)
            let mu = mean(values)
            let squares = values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +)
            let biased = squares / Double(values.count), unbiased = squares / Double(values.count - 1)
            for n in 0..<3 { for l in 0..<2 {
                let i = (n * 2 + c) * 2 + l
                expected[i] = (x[i] - mu) / (biased + eps).squareRoot() * weight[c] + bias[c]
            } }
            newMean.append((1 - momentum) * [0.5, -1][c] + momentum * mu)
            newVar.append((1 - momentum) * [2.0, 3][c] + momentum * unbiased)
        }
        try assertClose(out, expected, shape: [3, 2, 2], tolerance: 1e-12)
        try assertClose(runningMean, newMean, tolerance: 1e-12, "running mean")
        try assertClose(runningVar, newVar, tolerance: 1e-12, "running variance uses the unbiased batch variance")
    }

    func testBatchNormEvalUsesRunningStatsAndLeavesThemAlone() throws {
        let runningMean = try f64([0.5, -1]), runningVar = try f64([2, 3])
        let out = try f64(x, [3, 2, 2]).batchNorm(weight: f64([2, 1]), bias: f64([0, 1]), runningMean: runningMean,
                                                  runningVar: runningVar, training: false, eps: 1e-5)
        let expected = x.indices.map { i -> Double in
            let c = (i / 2) % 2
            return (x[i] - [0.5, -1][c]) / ([2.0, 3][c] + 1e-5).squareRoot() * [2.0, 1][c] + [0.0, 1][c]
        }
        try assertClose(out, expected, tolerance: 1e-12)
        XCTAssertEqual(try runningMean.toArray(Double.self), [0.5, -1])
        XCTAssertEqual(try runningVar.toArray(Double.self), [2, 3])
    }

    func testBatchNormWithoutAffineOrRunningStats() throws {
        // [N 4, C 1]: normalised to zero mean, unit (biased) variance.
        let out = try f64([1, 2, 3, 4], [4, 1]).batchNorm(weight: nil, bias: nil, runningMean: nil, runningVar: nil,
                                                          training: true, eps: 0)
        let s = 1.25.squareRoot()
        try assertClose(out, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], shape: [4, 1], tolerance: 1e-12)
    }

    func testLayerNormOverTrailingDimensions() throws {
        let values: [Double] = [1, 2, 3, 4, 5, 6, -2, 0, 2, 8, 8, 8]   // [2, 2, 3]
        let gamma: [Double] = [1, 2, 3, 0.5, -1, 1], beta: [Double] = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
        let eps = 1e-5
        let out = try f64(values, [2, 2, 3]).layerNorm([2, 3], weight: f64(gamma, [2, 3]), bias: f64(beta, [2, 3]), eps: eps)
        var expected: [Double] = []
        for row in 0..<2 {
            let group = Array(values[(row * 6)..<(row * 6 + 6)])
            let mu = mean(group)
            let variance = group.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / 6   // biased
            for (i, v) in group.enumerated() { expected.append((v - mu) / (variance + eps).squareRoot() * gamma[i] + beta[i]) }
        }
        try assertClose(out, expected, shape: [2, 2, 3], tolerance: 1e-12)
        // Over the last dimension only, without affine parameters.
        let last = try f64(values, [2, 2, 3]).layerNorm([3], weight: nil, bias: nil, eps: 0)
        let sd = (2.0 / 3).squareRoot()
        try assertClose(last.select(dim: 0, index: 0), [-1 / sd, 0, 1 / sd, -1 / sd, 0, 1 / sd], tolerance: 1e-12)
    }

    func testSoftmaxAndLogSoftmax() throws {
        let rows: [[Double]] = [[1, 2, 3], [-1, 0, 1000]]
        let x = try f64(rows.flatMap { $0 }, [2, 3])
        // log softmax(x)_i = (x_i − m) − log Σ_j exp(x_j − m), m = max_j x_j.
        let logExpected = rows.flatMap { row -> [Double] in
            let m = row.max()!
            let logZ = Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
            return row.map { $0 - m - logZ }
        }
        try assertClose(x.softmax(dim: 1), logExpected.map { Foundation.exp($0) }, shape: [2, 3], tolerance: 1e-15)
        try assertClose(x.logSoftmax(dim: -1), logExpected, tolerance: 1e-12)
        XCTAssertEqual(try x.logSoftmax(dim: 1).doubles()[3], -1001, accuracy: 1e-9, "stable for large logits, no -inf")
        try assertClose(x.softmax(dim: 0).sum(dim: 0), [1, 1, 1], tolerance: 1e-15, "columns sum to one")
    }

    func testDropoutTrainingZeroesAboutPAndScalesTheRest() throws {
        let n = 20_000, p = 0.3
        Torch.manualSeed(99)
        let out = try Tensor.ones([n], dtype: .float64).dropout(p, training: true).toArray(Double.self)
        let zeros = out.filter { $0 == 0 }.count
        // Binomial standard deviation √(n·p·(1−p)) ≈ 65 elements; allow about 6σ.
        XCTAssertEqual(Double(zeros) / Double(n), p, accuracy: 0.02)
        XCTAssertTrue(out.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / (1 - p)) < 1e-12 }, "kept elements scaled by 1/(1−p)")
    }

    func testDropoutSeedsAndModes() throws {
        let x = try Tensor.rand([1000], dtype: .float64, generator: Generator(seed: 5))
        Torch.manualSeed(7)
        let a = try x.dropout(0.5, training: true).toArray(Double.self)
        Torch.manualSeed(7)
        let b = try x.dropout(0.5, training: true).toArray(Double.self)
        Torch.manualSeed(8)
        let c = try x.dropout(0.5, training: true).toArray(Double.self)
        XCTAssertEqual(a, b, "same seed, same mask")
        XCTAssertNotEqual(a.map { $0 == 0 }, c.map { $0 == 0 }, "different seed, different mask")
        XCTAssertEqual(try x.dropout(0.5, training: false).toArray(Double.self), try x.toArray(Double.self), "eval is identity")
        XCTAssertEqual(try x.dropout(0, training: true).toArray(Double.self), try x.toArray(Double.self), "p = 0 keeps all")
        XCTAssertEqual(try x.dropout(1, training: true).toArray(Double.self), [Double](repeating: 0, count: 1000), "p = 1 drops all")
    }

    func testDropoutGradientFollowsTheMask() throws {
        let x = try Tensor.ones([200], dtype: .float64).requiresGrad(true)
        Torch.manualSeed(3)
        let y = try x.dropout(0.25, training: true)
        try y.sum().backward()
        XCTAssertEqual(try XCTUnwrap(x.grad).toArray(Double.self), try y.toArray(Double.self),
                       "d(sum y)/dx is the mask scaled by 1/(1−p), which is y for x = 1")
    }
}
