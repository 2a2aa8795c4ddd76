import Foundation
import Torch
import XCTest

/// Autograd of element-wise, matrix, reduction and shape ops against central finite differences in float64
/// (see `GradientCheck`). Network layers and losses are in `NetworkGradientCheckTests`.
final class GradientCheckTests: XCTestCase {
    var random = TestRandom(seed: 31)

    func testTheCheckDetectsAWrongGradient() throws {
        // x · detach(x) has autograd gradient x, while the function's true derivative is 2x.
        let input = GradInput(random.awayFromZero(4), [4])
        let found = try GradientCheck().mismatches([input]) { try $0[0] * $0[0].detach() }
        XCTAssertEqual(found.count, 4, "\(found)")
        // A gradient off by one part in 10⁵ is caught as well.
        let slightlyWrong = try GradientCheck().mismatches([input]) { x in
            let scaled = try x[0] * 1.00001
            return try scaled.detach() + (x[0] - x[0].detach())   // value 1.00001·x, gradient 1
        }
        XCTAssertEqual(slightlyWrong.count, 4, "\(slightlyWrong)")
        XCTAssertEqual(try GradientCheck().mismatches([input]) { try $0[0] * $0[0] }, [], "a correct gradient passes")
    }

    func testArithmetic() {
        let a = GradInput(random.doubles(6), [2, 3]), b = GradInput(random.awayFromZero(6, magnitude: 0.5...2), [2, 3])
        let row = GradInput(random.awayFromZero(3, magnitude: 0.5...2), [3])
        assertGradientsMatch([a, b]) { try $0[0] + $0[1] }
        assertGradientsMatch([a, b]) { try $0[0] - $0[1] }
        assertGradientsMatch([a, b]) { try $0[0] * $0[1] }
        assertGradientsMatch([a, b]) { try $0[0] / $0[1] }
        assertGradientsMatch([a, row]) { try $0[0] * $0[1] + $0[1] / 3 }   // broadcasting sums over the batch
        assertGradientsMatch([a, row]) { try $0[0] / $0[1] - $0[0] }
        assertGradientsMatch([b]) { try 2 / $0[0] - (3 - $0[0]) * 1.5 }
    }

    func testPow() {
        let base = GradInput(random.doubles(5, in: 0.5...2), [5]), exponent = GradInput(random.doubles(5, in: -1.5...2.5), [5])
        assertGradientsMatch([base, exponent]) { try $0[0].pow($0[1]) }   // both base and exponent
        assertGradientsMatch([base]) { try $0[0].pow(3) }
        assertGradientsMatch([base]) { try $0[0].pow(-0.5) }
    }

    func testUnaryFunctions() {
        let any = GradInput(random.doubles(8, in: -2...2), [2, 4])
        let positive = GradInput(random.doubles(8, in: 0.3...3), [2, 4])
        let kinked = GradInput(random.awayFromZero(8), [2, 4])   // relu/abs away from 0
        assertGradientsMatch([any]) { try $0[0].exp() }
        assertGradientsMatch([positive]) { try $0[0].log() }
        assertGradientsMatch([positive]) { try $0[0].sqrt() }
        assertGradientsMatch([any]) { try $0[0].tanh() }
        assertGradientsMatch([any]) { try $0[0].sigmoid() }
        assertGradientsMatch([any]) { try $0[0].gelu() }
        assertGradientsMatch([any]) { try $0[0].gelu(approximateTanh: true) }
        assertGradientsMatch([any]) { try $0[0].silu() }
        assertGradientsMatch([kinked]) { try $0[0].relu() }
        assertGradientsMatch([kinked]) { try $0[0].leakyRelu(0.2) }
        assertGradientsMatch([kinked]) { try $0[0].abs() }
        assertGradientsMatch([any]) { try $0[0].sin() * $0[0].cos() }
    }

    func testMatmulAndLinear() {
        let a = GradInput(random.doubles(12), [2, 2, 3]), b = GradInput(random.doubles(12), [3, 4])
        assertGradientsMatch([a, b]) { try $0[0].matmul($0[1]) }   // batched with broadcasting
        let x = GradInput(random.doubles(10), [2, 5]), w = GradInput(random.doubles(15), [3, 5]), bias = GradInput(random.doubles(3), [3])
        assertGradientsMatch([x, w, bias]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
        assertGradientsMatch([x, w]) { try $0[0].linear(weight: $0[1], bias: nil).tanh() }
    }

    func testReductions() {
        let x = GradInput(random.doubles(12, in: -2...2), [3, 4])
        assertGradientsMatch([x]) { try $0[0].sum() }
        assertGradientsMatch([x]) { try $0[0].sum(dim: 1) }
        assertGradientsMatch([x]) { try $0[0].mean() }
        assertGradientsMatch([x]) { try $0[0].mean(dim: 0, keepDim: true) }
        assertGradientsMatch([x]) { try $0[0].variance() }
        assertGradientsMatch([x]) { try $0[0].variance([1], correction: 0) }
        assertGradientsMatch([x]) { try $0[0].variance([0], correction: 1) }
        assertGradientsMatch([x]) { try $0[0].std([1]) }
        assertGradientsMatch([x]) { try $0[0].logsumexp() }
        assertGradientsMatch([x]) { try $0[0].logsumexp([1]) }
        assertGradientsMatch([x]) { try $0[0].norm() }
        assertGradientsMatch([x]) { try $0[0].norm([0]) }
        assertGradientsMatch([x]) { try $0[0].prod(dim: 1) }
        assertGradientsMatch([x]) { try $0[0].cumsum(dim: 1) }
        let distinct = GradInput(random.distinct(12), [3, 4])
        assertGradientsMatch([distinct]) { try $0[0].max(dim: 1) }
        assertGradientsMatch([distinct]) { try $0[0].min() }
    }

    func testShapeOps() {
        let x = GradInput(random.doubles(24), [2, 3, 4]), y = GradInput(random.doubles(8), [2, 1, 4])
        assertGradientsMatch([x]) { try $0[0].reshape([6, 4]) }
        assertGradientsMatch([x]) { try $0[0].view([4, -1]) }
        assertGradientsMatch([x]) { try $0[0].permute([2, 0, 1]) }
        assertGradientsMatch([x]) { try $0[0].transpose(0, 2).flatten() }
        assertGradientsMatch([x]) { try $0[0].slice(dim: 2, start: 1, end: 4, step: 2) }
        assertGradientsMatch([x]) { try $0[0].select(dim: 1, index: 2) }
        assertGradientsMatch([x, y]) { try Tensor.cat([$0[0], $0[1]], dim: 1) }
        assertGradientsMatch([y]) { try Tensor.stack([$0[0], $0[0] * 2], dim: 1) }
        assertGradientsMatch([y]) { try $0[0].expand([2, 3, 4]) }
        assertGradientsMatch([y]) { try $0[0].squeeze(dim: 1).unsqueeze(dim: 0).repeated([2, 1, 1]) }
        // gather and indexSelect with repeated indices: their gradients accumulate.
        let m = GradInput(random.doubles(12), [3, 4])
        assertGradientsMatch([m]) { try $0[0].gather(dim: 1, i64([0, 0, 3, 1, 2, 2, 2, 0, 3], [3, 3])) }
        assertGradientsMatch([m]) { try $0[0].gather(dim: 0, i64([2, 0, 1, 2, 2, 2, 0, 0], [2, 4])) }
        assertGradientsMatch([m]) { try $0[0].indexSelect(dim: 0, i64([2, 2, 0])) }
        assertGradientsMatch([m]) { try $0[0].tril().roll(1, dim: 1) }
        assertGradientsMatch([m]) { try $0[0].maskedFill($0[0].gt(0.5), 0) }
        assertGradientsMatch([m, GradInput(random.doubles(12), [3, 4])]) { try Tensor.where($0[0].gt(0), $0[0], $0[1]) }
    }

    func testComposite() throws {
        // A two-layer network end to end: tanh(x·W1ᵀ + b1)·W2ᵀ, then mean squared error.
        let x = GradInput(random.doubles(8), [4, 2]), w1 = GradInput(random.doubles(6), [3, 2])
        let b1 = GradInput(random.doubles(3), [3]), w2 = GradInput(random.doubles(3), [1, 3])
        let target = try f64([0.5, -0.5, 1, 0], [4, 1])
        assertGradientsMatch([x, w1, b1, w2]) { p in
            let hidden = try p[0].linear(weight: p[1], bias: p[2]).tanh()
            return try hidden.linear(weight: p[3], bias: nil).mseLoss(target)
        }
    }
}
