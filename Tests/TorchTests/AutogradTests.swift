import Foundation
import Torch
import XCTest

/// Autograd semantics: what records a graph, how gradients accumulate and are dropped, no-grad scopes and
/// in-place parameter updates.
final class AutogradTests: XCTestCase {
    func testRequiresGradAndBackwardOfASimpleExpression() throws {
        let x = try f64([1, 2, 3])
        XCTAssertFalse(x.requiresGrad)
        try x.requiresGrad(true)
        XCTAssertTrue(x.requiresGrad)
        XCTAssertNil(x.grad, "no gradient before backward")
        let y = try (x * x).sum()   // dy/dx = 2x
        XCTAssertTrue(y.requiresGrad)
        try y.backward()
        try assertClose(XCTUnwrap(x.grad), [2, 4, 6], tolerance: 0)
        try x.requiresGrad(false)
        XCTAssertFalse(try (x * 2).requiresGrad)
    }

    func testBackwardAccumulatesAndZeroGradDrops() throws {
        let x = try f64([1, -2]).requiresGrad(true)
        try (x * 3).sum().backward()
        try (x * x).sum().backward()
        try assertClose(XCTUnwrap(x.grad), [3 + 2, 3 - 4], tolerance: 0, "gradients of both passes add up")
        try x.zeroGrad()
        XCTAssertNil(x.grad)
        try (x * 5).sum().backward()
        try assertClose(XCTUnwrap(x.grad), [5, 5], tolerance: 0, "a fresh gradient after zeroGrad")
    }

    func testBackwardWithExplicitGradientAndRetainedGraph() throws {
        let x = try f64([1, 2]).requiresGrad(true)
        let y = try x * x * x   // dy/dx = 3x²
        try y.backward(f64([1, 10]), retainGraph: true)
        try assertClose(XCTUnwrap(x.grad), [3, 120], tolerance: 0)
        try y.backward(f64([1, 0]))
        try assertClose(XCTUnwrap(x.grad), [6, 120], tolerance: 0, "second pass through the retained graph")
        XCTAssertThrowsError(try y.backward(f64([1, 1])), "the graph was freed by the last pass")
    }

    func testGradientsOfMatchesBackwardAndReportsUnusedInputs() throws {
        var random = TestRandom(seed: 21)
        let aValues = random.doubles(6), bValues = random.doubles(3)
        func objective(_ a: Tensor, _ b: Tensor) throws -> Tensor { try (a.matmul(b).tanh() * a.sum(dim: 1)).sum() }
        let a = try f64(aValues, [2, 3]).requiresGrad(true), b = try f64(bValues).requiresGrad(true)
        let unused = try f64([1]).requiresGrad(true)
        let grads = try Tensor.gradients(of: objective(a, b), withRespectTo: [a, b, unused])
        XCTAssertNil(grads[2], "an input the output does not depend on gets nil")
        XCTAssertNil(a.grad, "gradients(of:) does not touch .grad")
        let a2 = try f64(aValues, [2, 3]).requiresGrad(true), b2 = try f64(bValues).requiresGrad(true)
        try objective(a2, b2).backward()
        XCTAssertEqual(try XCTUnwrap(grads[0]).toArray(Double.self), try XCTUnwrap(a2.grad).toArray(Double.self))
        XCTAssertEqual(try XCTUnwrap(grads[1]).toArray(Double.self), try XCTUnwrap(b2.grad).toArray(Double.self))
    }

    func testSecondDerivativeWithCreateGraph() throws {
        let x = try f64([0.5, 2]).requiresGrad(true)
        let y = try x.pow(3).sum()
        let first = try XCTUnwrap(Tensor.gradients(of: y, withRespectTo: [x], createGraph: true)[0])   // 3x²
        try assertClose(first, [0.75, 12], tolerance: 1e-15)
        let second = try XCTUnwrap(Tensor.gradients(of: first.sum(), withRespectTo: [x])[0])           // 6x
        try assertClose(second, [3, 12], tolerance: 1e-15)
    }

    func testDetachCutsTheGraph() throws {
        let x = try f64([2, 3]).requiresGrad(true)
        let d = try x.detach()
        XCTAssertFalse(d.requiresGrad)
        try (x * d).sum().backward()   // d is a constant: gradient is d, not 2x
        try assertClose(XCTUnwrap(x.grad), [2, 3], tolerance: 0)
    }

    func testNoGradRecordsNothingAndRestoresTheMode() throws {
        let x = try f64([1, 2]).requiresGrad(true)
        XCTAssertTrue(Torch.isGradEnabled)
        let y = try Torch.withNoGrad {
            XCTAssertFalse(Torch.isGradEnabled)
            return try x * 2
        }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(Torch.isGradEnabled)
        XCTAssertThrowsError(try y.sum().backward(), "nothing was recorded")

        struct Boom: Error {}
        XCTAssertThrowsError(try Torch.withNoGrad { () throws -> Void in throw Boom() })
        XCTAssertTrue(Torch.isGradEnabled, "restored after the body threw")
        XCTAssertThrowsError(try Torch.withNoGrad { try x.matmul(Tensor.zeros([5, 5], dtype: .float64)) })
        XCTAssertTrue(Torch.isGradEnabled, "restored after a libtorch error inside the body")

        try Torch.withNoGrad {
            Torch.withNoGrad {}
            XCTAssertFalse(Torch.isGradEnabled, "an inner scope restores the outer no-grad state")
            let z = try Torch.withGrad { try x * 3 }
            XCTAssertTrue(z.requiresGrad, "withGrad re-enables recording inside no-grad")
            XCTAssertFalse(Torch.isGradEnabled)
        }
        XCTAssertTrue(Torch.isGradEnabled)
    }

    func testSGDStepByHandUnderNoGrad() throws {
        let w = try f64([1, -1]).requiresGrad(true)
        let lr = 0.1
        for _ in 0..<2 {
            let loss = try (w * w).sum()    // gradient 2w: each step scales w by (1 − 2·lr)
            try loss.backward()
            try Torch.withNoGrad { try w.add_(XCTUnwrap(w.grad), alpha: -lr) }
            try w.zeroGrad()
        }
        try assertClose(w, [0.64, -0.64], tolerance: 1e-15)
        XCTAssertTrue(w.requiresGrad, "still a parameter after in-place updates")
        XCTAssertThrowsError(try w.add_(f64([1, 1])), "in-place update of a leaf that requires grad needs no-grad")
        try assertClose(w, [0.64, -0.64], tolerance: 1e-15, "the refused update changed nothing")
    }

    func testInPlaceHelpers() throws {
        let a = try f64([1, 2, 3])
        try a.mul_(2)
        try a.add_(1)
        try assertClose(a, [3, 5, 7], tolerance: 0)
        try a.addcmul_(f64([1, 2, 3]), f64([2, 2, 2]), value: 0.5)   // + 0.5·b·c
        try assertClose(a, [4, 7, 10], tolerance: 0)
        try a.addcdiv_(f64([4, 4, 4]), f64([2, 4, 8]), value: 2)      // + 2·b/c
        try assertClose(a, [8, 9, 11], tolerance: 0)
        try a.lerp_(f64([0, 1, 11]), weight: 0.25)                    // + 0.25·(end − a)
        try assertClose(a, [6, 7, 11], tolerance: 0)
        try a.copy_(f32([1.5]))
        try assertClose(a, [1.5, 1.5, 1.5], tolerance: 0, "broadcast and converted")
        try a.fill_(-2)
        try assertClose(a, [-2, -2, -2], tolerance: 0)
        try a.zero_()
        try assertClose(a, [0, 0, 0], tolerance: 0)
    }
}
