import Foundation
import Torch
import XCTest

/// The fused linear CKA op (`Tensor.linearCKA`): its value against a plain-Swift evaluation of the definition
/// (HSIC with the centring matrix H, method.md §2), its gradient against finite differences, in both forms.
final class LinearCKATests: XCTestCase {
    var random = TestRandom(seed: 97)

    /// CKA from the definition, in doubles: K = XXᵀ, L = YYᵀ, HSIC(K, L) = ⟨HKH, HLH⟩.
    static func definition(_ x: [Double], _ y: [Double], n: Int, p: Int, q: Int) -> Double {
        func gram(_ v: [Double], _ w: Int) -> [Double] {
            var g = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { for k in 0..<w { g[i * n + j] += v[i * w + k] * v[j * w + k] } } }
            return g
        }
        func centred(_ g: [Double]) -> [Double] {
            // H G H with H = I − 11ᵀ/n, written out as sums.
            var h = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { h[i * n + j] = (i == j ? 1 : 0) - 1 / Double(n) } }
            func mul(_ a: [Double], _ b: [Double]) -> [Double] {
                var c = [Double](repeating: 0, count: n * n)
                for i in 0..<n { for j in 0..<n { for k in 0..<n { c[i * n + j] += a[i * n + k] * b[k * n + j] } } }
                return c
            }
            return mul(mul(h, g), h)
        }
        let kc = centred(gram(x, p)), lc = centred(gram(y, q))
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map(*).reduce(0, +) }
        return dot(kc, lc) / (dot(kc, kc) * dot(lc, lc)).squareRoot()
    }

    func testValueMatchesTheDefinitionInBothForms() throws {
        let n = 7, p = 5, q = 3
        let xv = random.doubles(n * p), yv = random.doubles(n * q)
        let expected = Self.definition(xv, yv, n: n, p: p, q: q)
        let x = try f64(xv, [n, p]), y = try f64(yv, [n, q])
        for gram in [true, false] {
            XCTAssertEqual(try x.linearCKA(y, gramForm: gram, epsilon: 0).item(), expected, accuracy: 1e-12, "gram form \(gram)")
        }
        XCTAssertEqual(try x.linearCKA(y, gramForm: true, epsilon: 0).shape, [])
    }

    func testGradientMatchesFiniteDifferencesInBothForms() {
        let n = 6, p = 4, q = 5
        let x = GradInput(random.doubles(n * p), [n, p])
        let yv = random.doubles(n * q)
        for gram in [true, false] {
            assertGradientsMatch([x]) { try $0[0].linearCKA(f64(yv, [n, q]), gramForm: gram, epsilon: 1e-8) }
        }
    }

    func testConstantInputGivesZeroGradientAndBadShapesThrow() throws {
        let constant = try Tensor.full([5, 3], 1.5, dtype: .float64).requiresGrad(true)
        let y = try f64(random.doubles(15), [5, 3])
        let value = try constant.linearCKA(y, gramForm: true, epsilon: 1e-8)
        try value.backward()
        try assertClose(XCTUnwrap(constant.grad), [Double](repeating: 0, count: 15), tolerance: 0)
        XCTAssertThrowsError(try constant.linearCKA(f64(random.doubles(12), [4, 3]), gramForm: true, epsilon: 0))
        XCTAssertThrowsError(try constant.linearCKA(y.requiresGrad(true), gramForm: true, epsilon: 0),
                             "y must be a constant: the op gives it no gradient")
    }
}
