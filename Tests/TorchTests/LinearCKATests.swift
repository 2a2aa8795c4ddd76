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

    /// H·G·H of a square matrix, in doubles from the definition (H = I − 11ᵀ/n).
    static func centred(_ g: [Double], n: Int) -> [Double] {
        var rowMeans = [Double](repeating: 0, count: n), columnMeans = [Double](repeating: 0, count: n), mean = 0.0
        for i in 0..<n { for j in 0..<n { rowMeans[i] += g[i * n + j] / Double(n); columnMeans[j] += g[i * n + j] / Double(n) } }
        for value in g { mean += value / Double(n * n) }
        return (0..<(n * n)).map { g[$0] - rowMeans[$0 / n] - columnMeans[$0 % n] + mean }
    }

    /// The guide cache's block op: the batch's rows and columns of a symmetric Gram matrix, centred (the diagonal
    /// included), in both float types; on the CPU in ascending order of the rows, with the batch positions in that
    /// order.
    func testCentredGramBlockIsTheCentredSubmatrixInAscendingRowOrder() throws {
        let big = 9, width = 4
        let yv = random.doubles(big * width)
        var gram = [Double](repeating: 0, count: big * big)
        for i in 0..<big { for j in 0..<big { for k in 0..<width { gram[i * big + j] += yv[i * width + k] * yv[j * width + k] } } }
        let rows = [7, 2, 0, 5, 8]
        let n = rows.count
        let ascending = [2, 1, 3, 0, 4]  // positions of rows, ascending by row: 0, 2, 5, 7, 8
        let expected = Self.centred(ascending.flatMap { a in ascending.map { gram[rows[a] * big + rows[$0]] } }, n: n)
        let indices = try Tensor(rows.map(Int64.init), shape: [n])
        let double = try f64(gram, [big, big]).centeredGramBlock(rows: indices)
        XCTAssertEqual(try XCTUnwrap(double.order).int64s(), ascending.map(Int64.init))
        try assertClose(double.gram, expected, shape: [n, n], tolerance: 1e-12)
        let float = try f32(gram.map(Float.init), [big, big]).centeredGramBlock(rows: indices)
        XCTAssertEqual(try XCTUnwrap(float.order).int64s(), ascending.map(Int64.init))
        try assertClose(float.gram, expected, shape: [n, n], tolerance: 1e-5)
        XCTAssertThrowsError(try f64(gram, [big, big]).centeredGramBlock(rows: Tensor([Int64(big)], shape: [1])), "a row past the end")
    }

    /// A repeated example (a batch drawn with replacement) gives equal rows and columns, wherever the sort puts it.
    func testCentredGramBlockKeepsRepeatedRows() throws {
        let big = 6, width = 3
        let yv = random.doubles(big * width)
        var gram = [Double](repeating: 0, count: big * big)
        for i in 0..<big { for j in 0..<big { for k in 0..<width { gram[i * big + j] += yv[i * width + k] * yv[j * width + k] } } }
        let rows = [4, 1, 4, 3]
        let block = try f64(gram, [big, big]).centeredGramBlock(rows: Tensor(rows.map(Int64.init), shape: [rows.count]))
        let order = try XCTUnwrap(block.order).int64s().map(Int.init)
        XCTAssertEqual(order.map { rows[$0] }, rows.sorted())
        let expected = Self.centred(order.flatMap { a in order.map { gram[rows[a] * big + rows[$0]] } }, n: rows.count)
        try assertClose(block.gram, expected, shape: [rows.count, rows.count], tolerance: 1e-12)
    }

    /// Linear CKA against a given centred guide Gram: the definition's value and finite-difference gradients.
    func testCentredGramFormMatchesTheDefinitionAndFiniteDifferences() throws {
        let n = 6, p = 4, q = 5
        let xv = random.doubles(n * p), yv = random.doubles(n * q)
        var gram = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<q { gram[i * n + j] += yv[i * q + k] * yv[j * q + k] } } }
        let lc = try f64(Self.centred(gram, n: n), [n, n])
        XCTAssertEqual(try f64(xv, [n, p]).linearCKA(centeredGram: lc, epsilon: 0).item(), Self.definition(xv, yv, n: n, p: p, q: q),
                       accuracy: 1e-12)
        assertGradientsMatch([GradInput(xv, [n, p])]) { try $0[0].linearCKA(centeredGram: lc, epsilon: 1e-8) }
    }

    /// With a row order (the Gram block's rows are x's rows in that order): the value of CKA with x's rows taken in
    /// that order, and finite-difference gradients in x's own order.
    func testCentredGramFormWithARowOrderPairsEachRowWithItsExample() throws {
        let n = 6, p = 4, q = 5
        let xv = random.doubles(n * p), yv = random.doubles(n * q)
        let order = [3, 0, 5, 1, 4, 2]  // block row i is x's row order[i]
        let xOrdered = order.flatMap { Array(xv[($0 * p)..<($0 * p + p)]) }
        var gram = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<q { gram[i * n + j] += yv[i * q + k] * yv[j * q + k] } } }
        let lc = try f64(Self.centred(gram, n: n), [n, n])
        let rowOrder = try Tensor(order.map(Int64.init), shape: [n])
        XCTAssertEqual(try f64(xv, [n, p]).linearCKA(centeredGram: lc, rowOrder: rowOrder, epsilon: 0).item(),
                       Self.definition(xOrdered, yv, n: n, p: p, q: q), accuracy: 1e-12)
        XCTAssertNotEqual(try f64(xv, [n, p]).linearCKA(centeredGram: lc, epsilon: 0).item(),
                          Self.definition(xOrdered, yv, n: n, p: p, q: q), accuracy: 1e-6, "the order must matter here")
        assertGradientsMatch([GradInput(xv, [n, p])]) { try $0[0].linearCKA(centeredGram: lc, rowOrder: rowOrder, epsilon: 1e-8) }
        XCTAssertThrowsError(try f64(xv, [n, p]).linearCKA(centeredGram: lc, rowOrder: Tensor([Int64(0)], shape: [1]), epsilon: 0))
        // The op reads x through the order and writes the gradient back through it: a repeated or out-of-range row
        // is refused, naming the position, before anything is read.
        for bad in [[3, 0, 5, 1, 4, 3], [3, 0, 6, 1, 4, 2], [3, 0, -1, 1, 4, 2]] {
            XCTAssertThrowsError(try f64(xv, [n, p]).linearCKA(centeredGram: lc, rowOrder: Tensor(bad.map(Int64.init), shape: [n]),
                                                             epsilon: 0)) { error in
                XCTAssertTrue("\(error)".contains("permutation"), "\(error)")
            }
        }
    }

    /// Several terms in one node (`linearCKASum`, a guided step's cached terms): the value is the sum of the single
    /// terms' definitions, the gradients match finite differences, also for an x read by two terms (its gradient is
    /// the sum of both), and a bad term is named by its position.
    func testSumOfCentredGramTermsIsOneNodeWithTheSumsValueAndGradients() throws {
        let n = 5, p = 3, q = 4
        let xv = random.doubles(n * p), zv = random.doubles(n * (p + 1))
        let yv = random.doubles(n * q), wv = random.doubles(n * q)
        func centredGram(_ v: [Double]) throws -> Tensor {
            var gram = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { for k in 0..<q { gram[i * n + j] += v[i * q + k] * v[j * q + k] } } }
            return try f64(Self.centred(gram, n: n), [n, n])
        }
        let ly = try centredGram(yv), lw = try centredGram(wv)
        let order = [2, 4, 0, 3, 1]
        let rowOrder = try Tensor(order.map(Int64.init), shape: [n])
        let xOrdered = order.flatMap { Array(xv[($0 * p)..<($0 * p + p)]) }
        let expected = Self.definition(xv, yv, n: n, p: p, q: q) + Self.definition(xOrdered, wv, n: n, p: p, q: q)
            + Self.definition(zv, wv, n: n, p: p + 1, q: q)
        let x = try f64(xv, [n, p]), z = try f64(zv, [n, p + 1])
        let sum = try Tensor.linearCKASum([(x, ly, nil), (x, lw, rowOrder), (z, lw, nil)], epsilon: 0)
        XCTAssertEqual(try sum.item(), expected, accuracy: 1e-12)
        assertGradientsMatch([GradInput(xv, [n, p]), GradInput(zv, [n, p + 1])]) {
            try Tensor.linearCKASum([($0[0], ly, nil), ($0[0], lw, rowOrder), ($0[1], lw, nil)], epsilon: 1e-8)
        }
        XCTAssertThrowsError(try Tensor.linearCKASum([(x, ly, nil), (z, try f64([1, 2, 3, 4], [2, 2]), nil)], epsilon: 0)) { error in
            XCTAssertTrue("\(error)".contains("term 1"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.linearCKASum([], epsilon: 0))
    }
}
