import Foundation
import Torch
import XCTest

/// Reductions over all or some dimensions, against sums written out by hand.
final class ReductionTests: XCTestCase {
    /// [[1, 5, 3], [4, 2, 6]]
    func matrix() throws -> Tensor { try f64([1, 5, 3, 4, 2, 6], [2, 3]) }

    func testSumMeanMaxMin() throws {
        let m = try matrix()
        try assertClose(m.sum(), [21], shape: [], tolerance: 0)
        try assertClose(m.sum(dim: 0), [5, 7, 9], shape: [3], tolerance: 0)
        try assertClose(m.sum(dim: 1, keepDim: true), [9, 12], shape: [2, 1], tolerance: 0)
        try assertClose(m.sum([0, 1]), [21], shape: [], tolerance: 0)
        try assertClose(m.sum(keepDim: true), [21], shape: [1, 1], tolerance: 0)
        try assertClose(m.mean(), [3.5], shape: [], tolerance: 0)
        try assertClose(m.mean(dim: -1), [3, 4], shape: [2], tolerance: 0)
        try assertClose(m.mean(keepDim: true), [3.5], shape: [1, 1], tolerance: 0)
        try assertClose(m.max(), [6], shape: [], tolerance: 0)
        try assertClose(m.max(dim: 1), [5, 6], shape: [2], tolerance: 0)
        try assertClose(m.min(), [1], tolerance: 0)
        try assertClose(m.min(dim: 0, keepDim: true), [1, 2, 3], shape: [1, 3], tolerance: 0)
        try assertClose(m.prod(), [720], tolerance: 0)
        try assertClose(m.prod(dim: 1), [15, 48], tolerance: 0)
        try assertClose(m.cumsum(dim: 1), [1, 6, 9, 4, 6, 12], shape: [2, 3], tolerance: 0)
    }

    func testArgmaxArgmin() throws {
        let m = try matrix()
        let flat = try m.argmax()
        XCTAssertEqual(flat.dtype, .int64)
        XCTAssertEqual(try flat.toArray(Int64.self), [5])
        XCTAssertEqual(try m.argmax(dim: 1).toArray(Int64.self), [1, 2])
        XCTAssertEqual(try m.argmax(dim: 0).toArray(Int64.self), [1, 0, 1])
        XCTAssertEqual(try m.argmax(dim: 1, keepDim: true).shape, [2, 1])
        XCTAssertEqual(try m.argmin().toArray(Int64.self), [0])
        XCTAssertEqual(try m.argmin(dim: 1).toArray(Int64.self), [0, 1])
    }

    func testVarianceAndStdWithCorrection() throws {
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]   // mean 5, squared deviations sum 32
        let x = try f64(values)
        try assertClose(x.variance(correction: 0), [4], tolerance: 1e-15)
        try assertClose(x.variance(), [32.0 / 7], tolerance: 1e-15, "default is unbiased (correction 1)")
        try assertClose(x.std(correction: 0), [2], tolerance: 1e-15)
        try assertClose(x.std(), [(32.0 / 7).squareRoot()], tolerance: 1e-15)
        let m = try matrix()
        // Rows [1, 5, 3] and [4, 2, 6]: means 3 and 4, squared deviations 8 and 8.
        try assertClose(m.variance([1]), [4, 4], shape: [2], tolerance: 1e-15)
        try assertClose(m.variance([1], correction: 0, keepDim: true), [8.0 / 3, 8.0 / 3], shape: [2, 1], tolerance: 1e-15)
        // Columns [1, 4], [5, 2], [3, 6]: each has squared deviations 4.5.
        try assertClose(m.variance([0]), [4.5, 4.5, 4.5], tolerance: 1e-15)
        try assertClose(m.std([0], correction: 0), [1.5, 1.5, 1.5], tolerance: 1e-15)
    }

    func testLogsumexpIsStableAndNormIsEuclidean() throws {
        try assertClose(f64([1000, 1000]).logsumexp(), [1000 + Foundation.log(2.0)], tolerance: 1e-15)
        try assertClose(f32([-1000, -1000]).logsumexp(), [-1000 + Foundation.log(2.0)], tolerance: 1e-6)
        let m = try matrix()
        let rows: [Double] = [[1.0, 5, 3], [4.0, 2, 6]].map { row in Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) }
        try assertClose(m.logsumexp([1]), rows, shape: [2], tolerance: 1e-14)
        try assertClose(m.logsumexp([1], keepDim: true), rows, shape: [2, 1], tolerance: 1e-14)
        try assertClose(f64([3, 4]).norm(), [5], tolerance: 1e-15)
        try assertClose(m.norm(), [Foundation.sqrt(91.0)], tolerance: 1e-15)
        try assertClose(m.norm([1]), [Foundation.sqrt(35.0), Foundation.sqrt(56.0)], tolerance: 1e-15)
    }

    func testAnyAll() throws {
        let b = try Tensor([true, false, false, false, true, true], shape: [2, 3])
        XCTAssertEqual(try b.any().toArray(Bool.self), [true])
        XCTAssertEqual(try b.all().toArray(Bool.self), [false])
        XCTAssertEqual(try b.any([1]).toArray(Bool.self), [true, true])
        XCTAssertEqual(try b.all([1]).toArray(Bool.self), [false, false])
        XCTAssertEqual(try b.any([0]).toArray(Bool.self), [true, true, true])
        XCTAssertEqual(try b.all([0]).toArray(Bool.self), [false, false, false])
        XCTAssertEqual(try b.any([0, 1]).toArray(Bool.self), [true])
    }

    func testTopkAndSort() throws {
        let x = try f64([3, 1, 4, 1.5, 9, 2.6])
        let (values, indices) = try x.topk(2)
        XCTAssertEqual(try values.toArray(Double.self), [9, 4])
        XCTAssertEqual(try indices.toArray(Int64.self), [4, 2])
        let smallest = try x.topk(3, largest: false)
        XCTAssertEqual(try smallest.values.toArray(Double.self), [1, 1.5, 2.6])
        XCTAssertEqual(try smallest.indices.toArray(Int64.self), [1, 3, 5])
        let sorted = try x.sort()
        XCTAssertEqual(try sorted.values.toArray(Double.self), [1, 1.5, 2.6, 3, 4, 9])
        XCTAssertEqual(try sorted.indices.toArray(Int64.self), [1, 3, 5, 0, 2, 4])
        XCTAssertEqual(try x.sort(descending: true).values.toArray(Double.self), [9, 4, 3, 2.6, 1.5, 1])
        let m = try matrix()
        XCTAssertEqual(try m.sort(dim: 1).values.toArray(Double.self), [1, 3, 5, 2, 4, 6])
    }
}
