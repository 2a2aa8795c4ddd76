import Foundation
import Torch
import XCTest

/// Autograd of convolution, pooling, normalisation, softmax, embedding and losses against central finite
/// differences in float64 (see `GradientCheck`).
final class NetworkGradientCheckTests: XCTestCase {
    var random = TestRandom(seed: 41)

    func testConv1d() {
        let x = GradInput(random.doubles(2 * 4 * 9), [2, 4, 9])
        let w = GradInput(random.doubles(6 * 2 * 3), [6, 2, 3]), b = GradInput(random.doubles(6), [6])
        assertGradientsMatch([x, w, b]) { try $0[0].conv1d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, dilation: 2, groups: 2) }
        let w1 = GradInput(random.doubles(3 * 4 * 2), [3, 4, 2])
        assertGradientsMatch([x, w1]) { try $0[0].conv1d(weight: $0[1]) }
    }

    func testConv2d() {
        let x = GradInput(random.doubles(1 * 4 * 5 * 6), [1, 4, 5, 6])
        let w = GradInput(random.doubles(4 * 2 * 3 * 2), [4, 2, 3, 2]), b = GradInput(random.doubles(4), [4])
        assertGradientsMatch([x, w, b]) {
            try $0[0].conv2d(weight: $0[1], bias: $0[2], stride: (2, 1), padding: (1, 1), groups: 2)
        }
        let depthwise = GradInput(random.doubles(4 * 1 * 2 * 2), [4, 1, 2, 2])
        assertGradientsMatch([x, depthwise]) {
            try $0[0].conv2d(weight: $0[1], stride: (1, 2), padding: (0, 1), dilation: (2, 1), groups: 4)
        }
    }

    func testPooling() {
        // Distinct values, so every max window has a unique winner that stays the winner under ±h.
        let x = GradInput(random.distinct(2 * 2 * 6 * 5), [2, 2, 6, 5])
        assertGradientsMatch([x]) { try $0[0].maxPool(kernel: [2, 2]) }
        assertGradientsMatch([x]) { try $0[0].maxPool(kernel: [3, 2], stride: [2, 1], padding: [1, 1]) }
        assertGradientsMatch([x]) { try $0[0].avgPool(kernel: [2, 2]) }
        assertGradientsMatch([x]) { try $0[0].avgPool(kernel: [3, 3], stride: [2, 2], padding: [1, 1], countIncludePad: false) }
        assertGradientsMatch([x]) { try $0[0].adaptiveAvgPool([4, 3]) }
        assertGradientsMatch([x]) { try $0[0].adaptiveMaxPool([4, 3]) }
        let line = GradInput(random.distinct(2 * 3 * 7), [2, 3, 7])
        assertGradientsMatch([line]) { try $0[0].maxPool(kernel: [3], stride: [2]) }
        assertGradientsMatch([line]) { try $0[0].avgPool(kernel: [2], stride: [1], padding: [1]) }
        assertGradientsMatch([line]) { try $0[0].adaptiveAvgPool([3]) }
    }

    func testBatchNormTraining() {
        let x = GradInput(random.doubles(4 * 3 * 2, in: -2...2), [4, 3, 2])
        let w = GradInput(random.doubles(3, in: 0.5...1.5), [3]), b = GradInput(random.doubles(3), [3])
        assertGradientsMatch([x, w, b]) {
            try $0[0].batchNorm(weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
        }
        assertGradientsMatch([GradInput(random.doubles(10), [5, 2])]) {
            try $0[0].batchNorm(weight: nil, bias: nil, runningMean: nil, runningVar: nil, training: true)
        }
    }

    func testLayerNorm() {
        let x = GradInput(random.doubles(2 * 3 * 4, in: -2...2), [2, 3, 4])
        let w = GradInput(random.doubles(12, in: 0.5...1.5), [3, 4]), b = GradInput(random.doubles(12), [3, 4])
        assertGradientsMatch([x, w, b]) { try $0[0].layerNorm([3, 4], weight: $0[1], bias: $0[2]) }
        assertGradientsMatch([x]) { try $0[0].layerNorm([4], weight: nil, bias: nil) }
    }

    func testSoftmaxAndLogSoftmax() {
        let x = GradInput(random.doubles(12, in: -3...3), [3, 4])
        assertGradientsMatch([x]) { try $0[0].softmax(dim: 1) }
        assertGradientsMatch([x]) { try $0[0].softmax(dim: 0) }
        assertGradientsMatch([x]) { try $0[0].logSoftmax(dim: 1) }
    }

    func testEmbeddingWithRespectToTheTable() {
        let table = GradInput(random.doubles(5 * 3), [5, 3])
        assertGradientsMatch([table]) { try $0[0].embedding(i64([4, 0, 4, 2, 2, 2], [2, 3])) }   // repeated rows accumulate
        assertGradientsMatch([table]) { try $0[0].embedding(i64([1, 3, 1])).tanh().sum(dim: 1) }
    }

    func testCrossEntropy() {
        let logits = GradInput(random.doubles(4 * 5, in: -2...2), [4, 5])
        assertGradientsMatch([logits]) { try $0[0].crossEntropy(i64([0, 4, 2, 2])) }
        assertGradientsMatch([logits]) { try $0[0].crossEntropy(i64([0, -100, 2, -100])) }
        assertGradientsMatch([logits]) { try $0[0].crossEntropy(i64([1, 3, 3, 0]), reduction: .none) }
        assertGradientsMatch([logits]) { try $0[0].crossEntropy(i64([1, 3, 3, 0]), reduction: .sum, labelSmoothing: 0.1) }
        let spatial = GradInput(random.doubles(2 * 3 * 2, in: -2...2), [2, 3, 2])
        assertGradientsMatch([spatial]) { try $0[0].crossEntropy(i64([0, 2, 1, 1], [2, 2])) }
        assertGradientsMatch([logits]) { try $0[0].logSoftmax(dim: 1).nllLoss(i64([4, 3, 2, 1])) }
    }

    func testMeanSquaredError() {
        let a = GradInput(random.doubles(6), [2, 3]), b = GradInput(random.doubles(6), [2, 3])
        assertGradientsMatch([a, b]) { try $0[0].mseLoss($0[1]) }
        assertGradientsMatch([a, b]) { try $0[0].mseLoss($0[1], reduction: .sum) }
        assertGradientsMatch([a, b]) { try $0[0].mseLoss($0[1], reduction: .none) }
    }

    func testKLDivergence() {
        // Input: log-probabilities (log_softmax of free logits); target: probabilities (softmax of free logits),
        // so both stay valid under perturbation and gradients flow to both.
        let input = GradInput(random.doubles(6), [2, 3]), target = GradInput(random.doubles(6), [2, 3])
        assertGradientsMatch([input, target]) { try $0[0].logSoftmax(dim: 1).klDiv($0[1].softmax(dim: 1)) }
        assertGradientsMatch([input, target]) {
            try $0[0].logSoftmax(dim: 1).klDiv($0[1].logSoftmax(dim: 1), batchMean: false, reduction: .mean, logTarget: true)
        }
        let positive = GradInput(random.doubles(6, in: 0.1...1), [2, 3])
        assertGradientsMatch([input, positive]) { try $0[0].klDiv($0[1], batchMean: false, reduction: .none) }
    }
}
