import Foundation
import Torch
import XCTest

/// The fused optimizer helpers (`adamStep`, `clipGradNorm`) against updates written out in Swift Double.
final class OptimizerMathTests: XCTestCase {
    struct AdamState {
        var param: [Double]
        var m: [Double]
        var v: [Double]
    }

    /// Adam / AdamW as `torch.optim.Adam` / `AdamW` (step counted from 1), element by element.
    func referenceAdamStep(_ s: inout AdamState, grad: [Double], step: Int, lr: Double, beta1: Double, beta2: Double,
                           eps: Double, weightDecay: Double, decoupled: Bool) {
        let bc1 = 1 - Foundation.pow(beta1, Double(step)), bc2 = 1 - Foundation.pow(beta2, Double(step))
        for i in s.param.indices {
            var g = grad[i]
            if decoupled { s.param[i] *= 1 - lr * weightDecay } else { g += weightDecay * s.param[i] }
            s.m[i] = beta1 * s.m[i] + (1 - beta1) * g
            s.v[i] = beta2 * s.v[i] + (1 - beta2) * g * g
            let denom = s.v[i].squareRoot() / bc2.squareRoot() + eps
            s.param[i] -= lr / bc1 * s.m[i] / denom
        }
    }

    func runAdam(decoupled: Bool, weightDecay: Double) throws {
        let start: [Double] = [0.5, -1.25, 2, 0.01]
        let gradients: [[Double]] = [[0.1, -0.3, 1.2, 0], [0.05, 0.4, -2, 0.001], [-0.2, 0.1, 0.7, -0.5]]
        let (lr, beta1, beta2, eps) = (0.1, 0.9, 0.99, 1e-3)   // a large eps makes its placement matter
        var expected = AdamState(param: start, m: [0, 0, 0, 0], v: [0, 0, 0, 0])
        let param = try f64(start), m = try Tensor.zeros([4], dtype: .float64), v = try Tensor.zeros([4], dtype: .float64)
        for (t, g) in gradients.enumerated() {
            referenceAdamStep(&expected, grad: g, step: t + 1, lr: lr, beta1: beta1, beta2: beta2, eps: eps,
                              weightDecay: weightDecay, decoupled: decoupled)
            try param.adamStep(grad: f64(g), expAvg: m, expAvgSq: v, step: t + 1, lr: lr, beta1: beta1, beta2: beta2,
                               eps: eps, weightDecay: weightDecay, decoupled: decoupled)
            try assertClose(param, expected.param, tolerance: 1e-13, "parameter after step \(t + 1)")
        }
        try assertClose(m, expected.m, tolerance: 1e-13, "first moment")
        try assertClose(v, expected.v, tolerance: 1e-13, "second moment")
        XCTAssertGreaterThan(Swift.abs(try param.doubles()[0] - start[0]), 0.01, "the parameter moved")
    }

    func testAdamMatchesHandWrittenUpdateOverThreeSteps() throws {
        try runAdam(decoupled: false, weightDecay: 0)
    }

    func testAdamWithL2WeightDecay() throws {
        try runAdam(decoupled: false, weightDecay: 0.1)
    }

    func testAdamWWithDecoupledWeightDecay() throws {
        try runAdam(decoupled: true, weightDecay: 0.1)
    }

    /// A contiguous CPU parameter takes the one-pass loop, a strided one (a transposed view) the ATen ops: the same
    /// update in float32, step after step, for a low and a high β1 (lerp's two branches) and both decays.
    func testAdamOnePassLoopAgreesWithTheATenOpsInFloat32() throws {
        let g = Generator(seed: 11)
        for (beta1, weightDecay, decoupled) in [(0.9, 0.0, false), (0.3, 0.05, false), (0.9, 0.05, true)] {
            let start = try Tensor.randn([6, 5], generator: g)
            let contiguous = try start.clone(), strided = try start.transpose(0, 1).contiguous().transpose(0, 1)
            let states = try (0..<4).map { _ in try Tensor.zeros([6, 5]) }
            let stridedStates = try (0..<2).map { _ in try Tensor.zeros([5, 6]).transpose(0, 1) }
            for step in 1...3 {
                let grad = try Tensor.randn([6, 5], generator: g)
                try contiguous.adamStep(grad: grad, expAvg: states[0], expAvgSq: states[1], step: step, lr: 0.05, beta1: beta1,
                                        beta2: 0.99, eps: 1e-3, weightDecay: weightDecay, decoupled: decoupled)
                try strided.adamStep(grad: grad.transpose(0, 1).contiguous().transpose(0, 1), expAvg: stridedStates[0],
                                     expAvgSq: stridedStates[1], step: step, lr: 0.05, beta1: beta1, beta2: 0.99, eps: 1e-3,
                                     weightDecay: weightDecay, decoupled: decoupled)
                try assertClose(contiguous, try strided.contiguous().doubles(), tolerance: 1e-6,
                                "β1 \(beta1), decay \(weightDecay) decoupled \(decoupled), step \(step)")
            }
            try assertClose(states[0], try stridedStates[0].contiguous().doubles(), tolerance: 1e-6, "first moment")
            try assertClose(states[1], try stridedStates[1].contiguous().doubles(), tolerance: 1e-6, "second moment")
            XCTAssertGreaterThan(try (contiguous - start).abs().max().item(), 0.01, "the parameter moved")
        }
    }

    func testAdamStepOnAParameterThatRequiresGrad() throws {
        // The usual call: on a parameter leaf with its own .grad, outside any no-grad scope.
        let p = try f64([1, 2]).requiresGrad(true)
        try (p * p).sum().backward()
        let m = try Tensor.zeros([2], dtype: .float64), v = try Tensor.zeros([2], dtype: .float64)
        try p.adamStep(grad: XCTUnwrap(p.grad), expAvg: m, expAvgSq: v, step: 1, lr: 0.5, beta1: 0.9, beta2: 0.999,
                       eps: 0, weightDecay: 0, decoupled: true)
        // First step with eps 0: m̂ / √v̂ = g/|g| = sign(g), so p moves by −lr.
        try assertClose(p, [0.5, 1.5], tolerance: 1e-12)
        XCTAssertTrue(p.requiresGrad)
    }

    func testClipGradNormScalesToMaxNormAndReturnsThePreClipNorm() throws {
        let a = try f64([3, 4]), b = try f64([12], [1, 1])   // total norm √(9 + 16 + 144) = 13
        let norm = try Tensor.clipGradNorm([a, b], maxNorm: 6.5)
        XCTAssertEqual(norm, 13, accuracy: 1e-12)
        let scale = 6.5 / (13 + 1e-6)
        try assertClose(a, [3 * scale, 4 * scale], tolerance: 1e-12)
        try assertClose(b, [12 * scale], tolerance: 1e-12)
        let after = try (a.square().sum() + b.square().sum()).sqrt().item()
        XCTAssertEqual(after, 6.5, accuracy: 1e-6)

        let c = try f64([1, 1, 1])
        XCTAssertEqual(try Tensor.clipGradNorm([c], maxNorm: 10), 3.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try c.toArray(Double.self), [1, 1, 1], "below maxNorm nothing changes")
        XCTAssertEqual(try Tensor.clipGradNorm([], maxNorm: 1), 0)
    }

    func testClipGradNormAcrossDtypes() throws {
        let single = try f32([3]), double = try f64([4]), half = try f32([12]).to(.float16)
        XCTAssertEqual(try Tensor.clipGradNorm([single, double, half], maxNorm: 1), 13, accuracy: 1e-5)
        XCTAssertEqual(try single.item(), 3 / 13, accuracy: 1e-6)
        XCTAssertEqual(try double.item(), 4 / 13, accuracy: 1e-6)
        XCTAssertEqual(try half.item(), 12 / 13, accuracy: 1e-3)
    }

    func testClipGradNormActsOnTheParametersGradients() throws {
        let w = try f64([1, 2, 3]).requiresGrad(true)
        try (w * 10).sum().backward()   // gradient [10, 10, 10], norm 10√3
        let norm = try Tensor.clipGradNorm([XCTUnwrap(w.grad)], maxNorm: 1)
        XCTAssertEqual(norm, 10 * 3.0.squareRoot(), accuracy: 1e-12)
        let clipped = try XCTUnwrap(w.grad).doubles()
        XCTAssertEqual(clipped.map { $0 * $0 }.reduce(0, +).squareRoot(), 1, accuracy: 1e-6)
        XCTAssertEqual(clipped[0], clipped[2])
    }
}
