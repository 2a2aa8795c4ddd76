import Foundation
import Torch
import XCTest

/// Element-wise arithmetic, comparisons, math functions and activations against closed forms in Swift.
final class ElementwiseTests: XCTestCase {
    let xs: [Double] = [-2.5, -1, -0.3, 0, 0.7, 1.5, 3]

    func testArithmeticWithBroadcasting() throws {
        let a = try f64([1, 2, 3, 4, 5, 6], [2, 3])
        let row = try f64([10, 20, 30])
        try assertClose(a + row, [11, 22, 33, 14, 25, 36], shape: [2, 3], tolerance: 0)
        try assertClose(a - row, [-9, -18, -27, -6, -15, -24], tolerance: 0)
        try assertClose(a * row, [10, 40, 90, 40, 100, 180], tolerance: 0)
        try assertClose(a / row, [0.1, 0.1, 0.1, 0.4, 0.25, 0.2], tolerance: 1e-15)
        let column = try f64([2, -1], [2, 1])
        try assertClose(a * column, [2, 4, 6, -4, -5, -6], shape: [2, 3], tolerance: 0)
        try assertClose(a + 1, [2, 3, 4, 5, 6, 7], tolerance: 0)
        try assertClose(a - 1, [0, 1, 2, 3, 4, 5], tolerance: 0)
        try assertClose(a * 2, [2, 4, 6, 8, 10, 12], tolerance: 0)
        try assertClose(a / 4, [0.25, 0.5, 0.75, 1, 1.25, 1.5], tolerance: 0)
        try assertClose(1 + a, [2, 3, 4, 5, 6, 7], tolerance: 0)
        try assertClose(3 * a, [3, 6, 9, 12, 15, 18], tolerance: 0)
        try assertClose(10 - a, [9, 8, 7, 6, 5, 4], tolerance: 0)
        try assertClose(12 / a, [12, 6, 4, 3, 2.4, 2], tolerance: 1e-15)
        try assertClose(-a, [-1, -2, -3, -4, -5, -6], tolerance: 0)
        try assertClose(a.pow(2), [1, 4, 9, 16, 25, 36], tolerance: 1e-15)
        try assertClose(a.pow(row), (0..<6).map { Foundation.pow(Double($0 + 1), [10.0, 20, 30][$0 % 3]) }, tolerance: 1e-14)
        try assertClose(f64([1, 5, -2]).maximum(f64([3, 4, -1])), [3, 5, -1], tolerance: 0)
        try assertClose(f64([1, 5, -2]).minimum(f64([3, 4, -1])), [1, 4, -2], tolerance: 0)
        // Python's remainder takes the divisor's sign.
        try assertClose(f64([-3, 3, 5.5]).remainder(2), [1, 1, 1.5], tolerance: 0)
        try assertClose(f64([-3, 3]).remainder(f64([-2, -2])), [-1, -1], tolerance: 0)
    }

    func testIntegerTensorsStayIntegralWithWholeScalars() throws {
        let a = try i64([1, 2, 3])
        let plus = try a + 1
        XCTAssertEqual(plus.dtype, .int64)
        XCTAssertEqual(try plus.toArray(Int64.self), [2, 3, 4])
        XCTAssertEqual(try (a * 3).toArray(Int64.self), [3, 6, 9])
        let scaled = try a * 0.5
        XCTAssertTrue(scaled.dtype.isFloatingPoint)
        XCTAssertEqual(try scaled.doubles(), [0.5, 1, 1.5])
        XCTAssertEqual(try (a / 2).doubles(), [0.5, 1, 1.5], "true division as torch.div")
    }

    func testComparisonsAndLogic() throws {
        let a = try f64([1, 2, 3]), b = try f64([3, 2, 1])
        XCTAssertEqual(try a.eq(b).toArray(Bool.self), [false, true, false])
        XCTAssertEqual(try a.ne(b).toArray(Bool.self), [true, false, true])
        XCTAssertEqual(try a.lt(b).toArray(Bool.self), [true, false, false])
        XCTAssertEqual(try a.le(b).toArray(Bool.self), [true, true, false])
        XCTAssertEqual(try a.gt(b).toArray(Bool.self), [false, false, true])
        XCTAssertEqual(try a.ge(b).toArray(Bool.self), [false, true, true])
        XCTAssertEqual(try a.eq(2).toArray(Bool.self), [false, true, false])
        XCTAssertEqual(try a.ne(2).toArray(Bool.self), [true, false, true])
        XCTAssertEqual(try a.lt(2).toArray(Bool.self), [true, false, false])
        XCTAssertEqual(try a.le(2).toArray(Bool.self), [true, true, false])
        XCTAssertEqual(try a.gt(2).toArray(Bool.self), [false, false, true])
        XCTAssertEqual(try a.ge(2).toArray(Bool.self), [false, true, true])
        let p = try Tensor([true, true, false, false]), q = try Tensor([true, false, true, false])
        XCTAssertEqual(try p.logicalAnd(q).toArray(Bool.self), [true, false, false, false])
        XCTAssertEqual(try p.logicalOr(q).toArray(Bool.self), [true, true, true, false])
        XCTAssertEqual(try p.logicalNot().toArray(Bool.self), [false, false, true, true])
        let special = try f64([.nan, .infinity, 1])
        XCTAssertEqual(try special.isnan().toArray(Bool.self), [true, false, false])
        XCTAssertEqual(try special.isfinite().toArray(Bool.self), [false, false, true])
    }

    func testMathFunctions() throws {
        let positive: [Double] = [0.25, 1, 2.5, 9]
        let p = try f64(positive), x = try f64(xs)
        try assertClose(p.exp(), positive.map { Foundation.exp($0) }, tolerance: 1e-14)
        try assertClose(p.log(), positive.map { Foundation.log($0) }, tolerance: 1e-14)
        try assertClose(p.log1p(), positive.map { Foundation.log1p($0) }, tolerance: 1e-14)
        try assertClose(x.expm1(), xs.map { Foundation.expm1($0) }, tolerance: 1e-14)
        try assertClose(p.sqrt(), [0.5, 1, 2.5.squareRoot(), 3], tolerance: 1e-15)
        try assertClose(p.rsqrt(), [2, 1, 1 / 2.5.squareRoot(), 1.0 / 3], tolerance: 1e-15)
        try assertClose(p.reciprocal(), [4, 1, 0.4, 1.0 / 9], tolerance: 1e-15)
        try assertClose(x.abs(), xs.map { Swift.abs($0) }, tolerance: 0)
        try assertClose(x.square(), xs.map { $0 * $0 }, tolerance: 1e-15)
        try assertClose(x.sign(), [-1, -1, -1, 0, 1, 1, 1], tolerance: 0)
        try assertClose(x.sin(), xs.map { Foundation.sin($0) }, tolerance: 1e-14)
        try assertClose(x.cos(), xs.map { Foundation.cos($0) }, tolerance: 1e-14)
        let r = try f64([-1.5, -0.5, 0.5, 1.5, 2.5, 2.7])
        try assertClose(r.floor(), [-2, -1, 0, 1, 2, 2], tolerance: 0)
        try assertClose(r.ceil(), [-1, -0, 1, 2, 3, 3], tolerance: 0)
        try assertClose(r.round(), [-2, -0, 0, 2, 2, 3], tolerance: 0, "halves round to even")
    }

    func testActivations() throws {
        let x = try f64(xs)
        let sigmoid = xs.map { 1 / (1 + Foundation.exp(-$0)) }
        try assertClose(x.relu(), xs.map { Swift.max(0, $0) }, tolerance: 0)
        try assertClose(x.sigmoid(), sigmoid, tolerance: 1e-15)
        try assertClose(x.tanh(), xs.map { Foundation.tanh($0) }, tolerance: 1e-15)
        try assertClose(x.silu(), zip(xs, sigmoid).map { $0 * $1 }, tolerance: 1e-15)
        try assertClose(x.leakyRelu(0.1), xs.map { $0 > 0 ? $0 : 0.1 * $0 }, tolerance: 1e-15)
        // GELU, exact form: x·Φ(x) = x/2·(1 + erf(x/√2)).
        try assertClose(x.gelu(), xs.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, tolerance: 1e-14)
        // The tanh approximation differs from the exact form by up to ~1e-3: make sure each form is the one asked for.
        let approximate = xs.map { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        try assertClose(x.gelu(approximateTanh: true), approximate, tolerance: 1e-14)
        XCTAssertGreaterThan(Swift.abs(try x.gelu().doubles()[0] - approximate[0]), 1e-5)
        try assertClose(f32([-1, 2]).gelu(), [-1, 2].map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) },
                        tolerance: 1e-6, "float32 too")
    }

    func testClampWhereAndMaskedFill() throws {
        let x = try f64(xs)
        try assertClose(x.clamp(min: -1, max: 1), xs.map { Swift.min(1, Swift.max(-1, $0)) }, tolerance: 0)
        try assertClose(x.clamp(min: 0), xs.map { Swift.max(0, $0) }, tolerance: 0)
        try assertClose(x.clamp(max: 0), xs.map { Swift.min(0, $0) }, tolerance: 0)
        let condition = try Tensor([true, false, true])
        try assertClose(Tensor.where(condition, f64([1, 2, 3]), f64([-1, -2, -3])), [1, -2, 3], tolerance: 0)
        try assertClose(Tensor.where(condition, f64([7]), f64([0])), [7, 0, 7], tolerance: 0, "broadcasts")
        let m = try f64([1, 2, 3, 4], [2, 2])
        let mask = try Tensor([false, true])
        try assertClose(m.maskedFill(mask, -9), [1, -9, 3, -9], shape: [2, 2], tolerance: 0, "mask broadcasts over rows")
        XCTAssertEqual(try m.toArray(Double.self), [1, 2, 3, 4], "maskedFill returns a copy")
        let e = Foundation.exp(1.0)
        try assertClose(m.maskedFill(m.eq(4), -.infinity).softmax(dim: 1), [1 / (1 + e), e / (1 + e), 1, 0],
                        tolerance: 1e-15, "a position masked to -inf gets weight 0")
    }
}
