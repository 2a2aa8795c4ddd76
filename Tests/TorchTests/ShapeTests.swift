import Foundation
import Torch
import XCTest

/// Reshaping, indexing and joining, checked against index arithmetic on the C-order values.
final class ShapeTests: XCTestCase {
    /// 0..<24 as float64 with shape [2, 3, 4]: element [i, j, k] is 12i + 4j + k.
    func cube() throws -> Tensor { try f64((0..<24).map(Double.init), [2, 3, 4]) }

    func testReshapeViewFlattenSqueeze() throws {
        let c = try cube()
        try assertClose(c.reshape([6, -1]), (0..<24).map(Double.init), shape: [6, 4], tolerance: 0)
        XCTAssertEqual(try c.view([4, 6]).shape, [4, 6])
        XCTAssertEqual(try c.flatten().shape, [24])
        XCTAssertEqual(try c.flatten(start: 1).shape, [2, 12])
        XCTAssertEqual(try c.flatten(start: 0, end: 1).shape, [6, 4])
        let u = try c.unsqueeze(dim: 1)
        XCTAssertEqual(u.shape, [2, 1, 3, 4])
        XCTAssertEqual(try u.squeeze(dim: 1).shape, [2, 3, 4])
        XCTAssertEqual(try Tensor.zeros([1, 3, 1]).squeeze().shape, [3])
        XCTAssertEqual(try Tensor.zeros([1, 3, 1]).squeeze(dim: 0).shape, [3, 1])
        XCTAssertEqual(try c.unsqueeze(dim: -1).shape, [2, 3, 4, 1])
    }

    func testPermuteAndTranspose() throws {
        let c = try cube()
        let p = try c.permute([2, 0, 1])   // p[k, i, j] = c[i, j, k]
        XCTAssertEqual(p.shape, [4, 2, 3])
        var expected: [Double] = []
        for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { expected.append(Double(12 * i + 4 * j + k)) } } }
        try assertClose(p, expected, tolerance: 0)
        let t = try f64([1, 2, 3, 4, 5, 6], [2, 3]).transpose(0, 1)
        try assertClose(t, [1, 4, 2, 5, 3, 6], shape: [3, 2], tolerance: 0)
        try assertClose(f64([1, 2], [2, 1]).expand([2, 3]), [1, 1, 1, 2, 2, 2], shape: [2, 3], tolerance: 0)
        try assertClose(f64([1, 2], [2, 1]).expand([-1, 2]), [1, 1, 2, 2], shape: [2, 2], tolerance: 0)
    }

    func testSliceAndSelect() throws {
        let c = try cube()
        try assertClose(c.slice(dim: 2, start: 1, end: 3), [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22], shape: [2, 3, 2], tolerance: 0)
        try assertClose(c.slice(dim: 1, start: 0, step: 2).select(dim: 0, index: 0), [0, 1, 2, 3, 8, 9, 10, 11], shape: [2, 4], tolerance: 0)
        try assertClose(c.slice(dim: 2, start: -1), [3, 7, 11, 15, 19, 23], shape: [2, 3, 1], tolerance: 0)
        XCTAssertEqual(try c.slice(dim: 0, start: 1, end: 100).shape, [1, 3, 4], "end is clamped")
        try assertClose(c.select(dim: 1, index: 2), [8, 9, 10, 11, 20, 21, 22, 23], shape: [2, 4], tolerance: 0)
        try assertClose(c.select(dim: 2, index: -1), [3, 7, 11, 15, 19, 23], shape: [2, 3], tolerance: 0)
    }

    func testIndexSelectAndGather() throws {
        let m = try f64([10, 11, 12, 20, 21, 22, 30, 31, 32], [3, 3])
        try assertClose(m.indexSelect(dim: 0, i64([2, 0, 2])), [30, 31, 32, 10, 11, 12, 30, 31, 32], shape: [3, 3], tolerance: 0)
        try assertClose(m.indexSelect(dim: 1, i64([1])), [11, 21, 31], shape: [3, 1], tolerance: 0)
        // gather dim 1: out[i][j] = m[i][index[i][j]]
        try assertClose(m.gather(dim: 1, i64([2, 0, 1, 1, 0, 0], [3, 2])), [12, 10, 21, 21, 30, 30], shape: [3, 2], tolerance: 0)
        // gather dim 0: out[i][j] = m[index[i][j]][j]
        try assertClose(m.gather(dim: 0, i64([2, 1, 0], [1, 3])), [30, 21, 12], shape: [1, 3], tolerance: 0)
    }

    func testCatAndStack() throws {
        let a = try f64([1, 2, 3, 4], [2, 2]), b = try f64([5, 6], [1, 2])
        try assertClose(Tensor.cat([a, b]), [1, 2, 3, 4, 5, 6], shape: [3, 2], tolerance: 0)
        try assertClose(Tensor.cat([a, b.transpose(0, 1)], dim: 1), [1, 2, 5, 3, 4, 6], shape: [2, 3], tolerance: 0)
        try assertClose(Tensor.cat([a, a], dim: -1), [1, 2, 1, 2, 3, 4, 3, 4], shape: [2, 4], tolerance: 0)
        let x = try f64([1, 2]), y = try f64([3, 4])
        try assertClose(Tensor.stack([x, y]), [1, 2, 3, 4], shape: [2, 2], tolerance: 0)
        try assertClose(Tensor.stack([x, y], dim: 1), [1, 3, 2, 4], shape: [2, 2], tolerance: 0)
        XCTAssertEqual(try Tensor.stack([a, a, a], dim: 2).shape, [2, 2, 3])
    }

    func testTriangularRollRepeat() throws {
        let m = try f64((1...9).map(Double.init), [3, 3])
        try assertClose(m.tril(), [1, 0, 0, 4, 5, 0, 7, 8, 9], tolerance: 0)
        try assertClose(m.triu(), [1, 2, 3, 0, 5, 6, 0, 0, 9], tolerance: 0)
        try assertClose(m.triu(1), [0, 2, 3, 0, 0, 6, 0, 0, 0], tolerance: 0)
        try assertClose(m.tril(-1), [0, 0, 0, 4, 0, 0, 7, 8, 0], tolerance: 0)
        try assertClose(f64([1, 2, 3, 4]).roll(1, dim: 0), [4, 1, 2, 3], tolerance: 0)
        try assertClose(f64([1, 2, 3, 4]).roll(-1, dim: 0), [2, 3, 4, 1], tolerance: 0)
        try assertClose(f64([1, 2]).repeated([2, 2]), [1, 2, 1, 2, 1, 2, 1, 2], shape: [2, 4], tolerance: 0)
    }

    func testSizeAndNegativeDims() throws {
        let c = try cube()
        XCTAssertEqual(c.size(0), 2)
        XCTAssertEqual(c.size(-1), 4)
        XCTAssertEqual(try c.transpose(0, -1).shape, [4, 3, 2])
    }
}
