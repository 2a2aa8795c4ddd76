import Foundation
import NN
import Torch
import XCTest

/// Each optimizer against the update rule written out in Double, for three steps on
/// loss(p) = Σ cᵢ·pᵢ² (gradient 2·cᵢ·pᵢ), so the gradient changes with the parameter from step to step.
final class OptimizerTests: XCTestCase {
    private let start: [Double] = [1.0, -2.0, 0.5, 3.0]
    private let c: [Double] = [0.5, 1.0, 2.0, -0.25]

    private func parameter() throws -> Tensor { try Tensor(start).requiresGrad(true) }

    private func gradient(_ p: [Double]) -> [Double] { zip(c, p).map { 2 * $0 * $1 } }

    /// Runs `steps` optimizer steps on the loss; returns the parameter values after each.
    private func run(_ optimizer: any Optimizer, _ p: Tensor, steps: Int) throws -> [[Double]] {
        let weights = try Tensor(c)
        var trajectory: [[Double]] = []
        for _ in 0..<steps {
            try optimizer.zeroGrad()
            try (weights * p * p).sum().backward()
            try optimizer.step()
            trajectory.append(try p.doubles())
        }
        return trajectory
    }

    private func assertTrajectory(_ actual: [[Double]], _ expected: [[Double]], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            XCTAssertLessThan(maxAbsDifference(a, e), 1e-12, "step \(step + 1): \(a) vs \(e)", file: file, line: line)
        }
    }

    func testSGDWithMomentumAndWeightDecay() throws {
        let (lr, mu, decay) = (0.1, 0.9, 0.01)
        let p = try parameter()
        let actual = try run(SGD([p], learningRate: lr, momentum: mu, weightDecay: decay), p, steps: 3)

        var value = start, buffer: [Double]? = nil, expected: [[Double]] = []
        for _ in 0..<3 {
            let g = zip(gradient(value), value).map { $0 + decay * $1 }
            buffer = buffer.map { b in zip(b, g).map { mu * $0 + $1 } } ?? g  // first step: buf = g
            value = zip(value, buffer!).map { $0 - lr * $1 }
            expected.append(value)
        }
        assertTrajectory(actual, expected)
    }

    func testSGDNesterov() throws {
        let (lr, mu) = (0.05, 0.8)
        let p = try parameter()
        let actual = try run(SGD([p], learningRate: lr, momentum: mu, nesterov: true), p, steps: 3)

        var value = start, buffer: [Double]? = nil, expected: [[Double]] = []
        for _ in 0..<3 {
            let g = gradient(value)
            buffer = buffer.map { b in zip(b, g).map { mu * $0 + $1 } } ?? g
            value = zip(value, zip(g, buffer!)).map { $0 - lr * ($1.0 + mu * $1.1) }
            expected.append(value)
        }
        assertTrajectory(actual, expected)
    }

    /// Adam's rule in Double; `decoupled` selects AdamW.
    private func adamReference(lr: Double, beta1: Double, beta2: Double, eps: Double, decay: Double, decoupled: Bool,
                               steps: Int) -> [[Double]] {
        var value = start
        var m = Array(repeating: 0.0, count: start.count), v = m
        var expected: [[Double]] = []
        for t in 1...steps {
            var g = gradient(value)
            if decoupled {
                value = value.map { $0 * (1 - lr * decay) }
            } else {
                g = zip(g, value).map { $0 + decay * $1 }
            }
            m = zip(m, g).map { beta1 * $0 + (1 - beta1) * $1 }
            v = zip(v, g).map { beta2 * $0 + (1 - beta2) * $1 * $1 }
            let mHat = m.map { $0 / (1 - pow(beta1, Double(t))) }
            let vHat = v.map { $0 / (1 - pow(beta2, Double(t))) }
            value = value.indices.map { i in value[i] - lr * mHat[i] / (vHat[i].squareRoot() + eps) }
            expected.append(value)
        }
        return expected
    }

    func testAdamWithL2WeightDecay() throws {
        let p = try parameter()
        let actual = try run(Adam([p], learningRate: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-3, weightDecay: 0.1), p, steps: 3)
        assertTrajectory(actual, adamReference(lr: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-3, decay: 0.1, decoupled: false, steps: 3))
    }

    func testAdamWDecouplesTheDecay() throws {
        let p = try parameter()
        let actual = try run(Adam.adamW([p], learningRate: 0.1, weightDecay: 0.2), p, steps: 3)
        let expected = adamReference(lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0.2, decoupled: true, steps: 3)
        assertTrajectory(actual, expected)
        let coupled = adamReference(lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, decay: 0.2, decoupled: false, steps: 3)
        XCTAssertGreaterThan(maxAbsDifference(expected[2], coupled[2]), 1e-3, "the two decays must differ for this to test anything")
    }

    func testFirstAdamStepMovesEachCoordinateByTheLearningRate() throws {
        // Bias correction makes step 1 exactly −lr·sign(g) (up to eps), whatever the gradient's scale.
        let p = try parameter()
        let after = try run(Adam([p], learningRate: 0.01), p, steps: 1)[0]
        let expected = zip(start, gradient(start)).map { $0 - 0.01 * ($1 > 0 ? 1 : -1) }
        XCTAssertLessThan(maxAbsDifference(after, expected), 1e-7)
    }

    func testParametersWithoutGradientsAreSkippedAndLearningRateCanChange() throws {
        let p = try parameter(), unused = try Tensor([7.0]).requiresGrad(true)
        let optimizer = SGD([p, unused], learningRate: 0.1)
        _ = try run(optimizer, p, steps: 1)
        XCTAssertEqual(try unused.doubles(), [7.0])
        optimizer.learningRate = 0
        let frozen = try p.doubles()
        _ = try run(optimizer, p, steps: 1)
        XCTAssertEqual(try p.doubles(), frozen)
    }

    func testClipGradNormScalesTheJointNorm() throws {
        let a = try Tensor([3.0]).requiresGrad(true), b = try Tensor([4.0]).requiresGrad(true)
        let optimizer = SGD([a, b], learningRate: 1)
        try (a * a / 2.0 + b * b / 2.0).sum().backward()  // gradients 3 and 4: norm 5
        let norm = try optimizer.clipGradNorm(1)
        XCTAssertEqual(norm, 5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(a.grad).item(), 0.6, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(b.grad).item(), 0.8, accuracy: 1e-6)
    }
}
