import Foundation
import Torch
import XCTest

/// Matrix products, convolution, pooling and embedding against the plain loops in `NaiveOps.swift`.
final class NetworkOpsTests: XCTestCase {
    func testMatmulShapesAndValues() throws {
        let a = try f64([1, 2, 3, 4], [2, 2]), b = try f64([5, 6, 7, 8], [2, 2])
        try assertClose(a.matmul(b), [19, 22, 43, 50], shape: [2, 2], tolerance: 0)
        try assertClose(a.matmul(f64([1, -1])), [-1, -1], shape: [2], tolerance: 0, "matrix · vector")
        try assertClose(f64([1, 2]).matmul(f64([3, 4])), [11], shape: [], tolerance: 0, "dot product")
        // Batched with broadcasting: [2, 2, 2] @ [2, 2] multiplies each batch entry.
        let batch = try Tensor.stack([a, b])
        try assertClose(batch.matmul(Tensor.eye(2, dtype: .float64) * 2), [2, 4, 6, 8, 10, 12, 14, 16], shape: [2, 2, 2], tolerance: 0)
        XCTAssertEqual(try Tensor.zeros([5, 1, 3, 4]).matmul(Tensor.zeros([2, 4, 6])).shape, [5, 2, 3, 6])
    }

    func testLinear() throws {
        let x = try f64([1, 2, 3, 4, 5, 6], [2, 3])
        let w = try f64([1, 0, -1, 0.5, 0.5, 0.5], [2, 3])   // [out 2, in 3]
        try assertClose(x.linear(weight: w, bias: f64([10, 20])), [8, 23, 8, 27.5], shape: [2, 2], tolerance: 1e-15)
        try assertClose(x.linear(weight: w, bias: nil), [-2, 3, -2, 7.5], tolerance: 1e-15)
        XCTAssertEqual(try Tensor.zeros([4, 5, 3]).linear(weight: Tensor.zeros([2, 3]), bias: nil).shape, [4, 5, 2])
    }

    func testConv2dAgainstDirectLoops() throws {
        var random = TestRandom(seed: 11)
        let x = Grid(random.doubles(2 * 4 * 7 * 6), [2, 4, 7, 6])
        // (stride, padding, dilation, groups) combinations, each with and without bias.
        let cases: [((Int, Int), (Int, Int), (Int, Int), Int)] = [
            ((1, 1), (0, 0), (1, 1), 1), ((2, 1), (1, 2), (1, 1), 1), ((1, 2), (1, 0), (2, 1), 2),
            ((2, 2), (2, 1), (2, 2), 4), ((3, 2), (0, 1), (1, 1), 2),
        ]
        for (index, (stride, padding, dilation, groups)) in cases.enumerated() {
            let cout = 4
            let w = Grid(random.doubles(cout * (4 / groups) * 3 * 2), [cout, 4 / groups, 3, 2])
            let bias = index.isMultiple(of: 2) ? random.doubles(cout) : nil
            let expected = naiveConv2d(x, w, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
            let got = try f64(x.values, x.shape).conv2d(weight: f64(w.values, w.shape), bias: bias.map { try f64($0) },
                                                        stride: stride, padding: padding, dilation: dilation, groups: groups)
            try assertClose(got, expected.values, shape: expected.shape, tolerance: 1e-12, "case \(index)")
        }
    }

    func testConv1dAgainstDirectLoops() throws {
        var random = TestRandom(seed: 12)
        let (n, cin, length) = (2, 6, 11)
        let x = random.doubles(n * cin * length)
        for (index, (stride, padding, dilation, groups)) in [(1, 0, 1, 1), (2, 1, 1, 3), (1, 2, 2, 2), (3, 3, 1, 6)].enumerated() {
            let cout = 6, kernel = 3
            let w = random.doubles(cout * (cin / groups) * kernel)
            let bias = random.doubles(cout)
            // [N, C, L] is [N, C, 1, L] with a kernel of height 1.
            let expected = naiveConv2d(Grid(x, [n, cin, 1, length]), Grid(w, [cout, cin / groups, 1, kernel]), bias: bias,
                                       stride: (1, stride), padding: (0, padding), dilation: (1, dilation), groups: groups)
            let got = try f64(x, [n, cin, length]).conv1d(weight: f64(w, [cout, cin / groups, kernel]), bias: f64(bias),
                                                          stride: stride, padding: padding, dilation: dilation, groups: groups)
            try assertClose(got, expected.values, shape: [n, cout, expected.shape[3]], tolerance: 1e-12, "case \(index)")
        }
    }

    func testConvOutputLengthByHand() throws {
        // One channel, kernel [1, 1]: a sliding pairwise sum, easy to write out.
        let x = try f64([1, 2, 3, 4, 5], [1, 1, 5])
        let w = try f64([1, 1], [1, 1, 2])
        try assertClose(x.conv1d(weight: w), [3, 5, 7, 9], shape: [1, 1, 4], tolerance: 0)
        try assertClose(x.conv1d(weight: w, stride: 2), [3, 7], tolerance: 0)
        try assertClose(x.conv1d(weight: w, padding: 1), [1, 3, 5, 7, 9, 5], tolerance: 0)
        try assertClose(x.conv1d(weight: w, dilation: 3), [5, 7], tolerance: 0)
    }

    func testMaxAndAvgPool2d() throws {
        var random = TestRandom(seed: 13)
        let x = Grid(random.distinct(2 * 3 * 7 * 8), [2, 3, 7, 8])
        let input = try f64(x.values, x.shape)
        let settings: [((Int, Int), (Int, Int), (Int, Int))] = [((2, 2), (2, 2), (0, 0)), ((3, 3), (2, 1), (1, 1)), ((3, 2), (1, 2), (1, 0))]
        for (k, s, p) in settings {
            let maxExpected = naiveMaxPool2d(x, kernel: k, stride: s, padding: p)
            try assertClose(input.maxPool(kernel: [k.0, k.1], stride: [s.0, s.1], padding: [p.0, p.1]),
                            maxExpected.values, shape: maxExpected.shape, tolerance: 0, "max \(k) \(s) \(p)")
            for include in [true, false] {
                let avgExpected = naiveAvgPool2d(x, kernel: k, stride: s, padding: p, countIncludePad: include)
                try assertClose(input.avgPool(kernel: [k.0, k.1], stride: [s.0, s.1], padding: [p.0, p.1], countIncludePad: include),
                                avgExpected.values, shape: avgExpected.shape, tolerance: 1e-14, "avg \(k) \(s) \(p) \(include)")
            }
        }
        let dilated = naiveMaxPool2d(x, kernel: (2, 2), stride: (1, 2), padding: (1, 1), dilation: (2, 3))
        try assertClose(input.maxPool(kernel: [2, 2], stride: [1, 2], padding: [1, 1], dilation: [2, 3]), dilated.values,
                        shape: dilated.shape, tolerance: 0, "dilation")
        XCTAssertEqual(try input.maxPool(kernel: [2, 2]).shape, [2, 3, 3, 4], "stride defaults to the kernel")
        XCTAssertEqual(try input.maxPool(kernel: [2, 2], ceilMode: true).shape, [2, 3, 4, 4], "ceil mode keeps the partial window")
    }

    func testPool1d() throws {
        let x = try f64([1, 5, 2, 8, 3, 0, 4], [1, 1, 7])
        try assertClose(x.maxPool(kernel: [2]), [5, 8, 3], shape: [1, 1, 3], tolerance: 0)
        try assertClose(x.maxPool(kernel: [3], stride: [2], padding: [1]), [5, 8, 8, 4], tolerance: 0)
        try assertClose(x.avgPool(kernel: [2]), [3, 5, 1.5], tolerance: 0)
        try assertClose(x.avgPool(kernel: [3], stride: [2], padding: [1]), [2, 5, 11.0 / 3, 4.0 / 3], tolerance: 1e-15)
        try assertClose(x.avgPool(kernel: [3], stride: [2], padding: [1], countIncludePad: false), [3, 5, 11.0 / 3, 2], tolerance: 1e-15)
    }

    func testAdaptivePooling() throws {
        var random = TestRandom(seed: 14)
        let x = Grid(random.distinct(2 * 2 * 7 * 5), [2, 2, 7, 5])
        let input = try f64(x.values, x.shape)
        for output in [(1, 1), (3, 2), (4, 4), (7, 5)] {
            let avg = naiveAdaptivePool2d(x, output: output, mean)
            try assertClose(input.adaptiveAvgPool([output.0, output.1]), avg.values, shape: avg.shape, tolerance: 1e-14, "avg \(output)")
            let max = naiveAdaptivePool2d(x, output: output) { $0.max()! }
            try assertClose(input.adaptiveMaxPool([output.0, output.1]), max.values, shape: max.shape, tolerance: 0, "max \(output)")
        }
        // 1-D, 5 → 3 bins: [0, 2), [1, 4), [3, 5) (overlapping because 5 is not a multiple of 3).
        let line = try f64([1, 2, 3, 4, 10], [1, 1, 5])
        try assertClose(line.adaptiveAvgPool([3]), [1.5, 3, 7], shape: [1, 1, 3], tolerance: 1e-15)
        try assertClose(line.adaptiveMaxPool([3]), [2, 4, 10], tolerance: 0)
    }

    func testEmbeddingAndOneHot() throws {
        let table = try f64([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], [4, 2])
        let indices = try i64([3, 0, 3, 1, 2, 2], [2, 3])
        try assertClose(table.embedding(indices), [3, 3.5, 0, 0.5, 3, 3.5, 1, 1.5, 2, 2.5, 2, 2.5], shape: [2, 3, 2], tolerance: 0)
        let oneHot = try i64([2, 0, 1]).oneHot(classes: 4)
        XCTAssertEqual(oneHot.shape, [3, 4])
        XCTAssertEqual(try oneHot.toArray(Int64.self), [0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0])
    }

    func testEmbeddingPaddingRowGetsNoGradient() throws {
        let table = try f64([1, 2, 3, 4, 5, 6], [3, 2]).requiresGrad(true)
        let out = try table.embedding(i64([0, 2, 0, 1]), paddingIndex: 0)
        try assertClose(out, [1, 2, 5, 6, 1, 2, 3, 4], tolerance: 0, "the padding row is still looked up")
        try out.sum().backward()
        try assertClose(XCTUnwrap(table.grad), [0, 0, 1, 1, 1, 1], tolerance: 0)
        // A negative padding index counts from the end, as in PyTorch: −1 is the last row.
        let other = try f64([1, 2, 3, 4, 5, 6], [3, 2]).requiresGrad(true)
        try other.embedding(i64([2, 1, 2]), paddingIndex: -1).sum().backward()
        try assertClose(XCTUnwrap(other.grad), [0, 0, 1, 1, 0, 0], tolerance: 0)
        XCTAssertThrowsError(try other.embedding(i64([0]), paddingIndex: 3))
        XCTAssertThrowsError(try other.embedding(i64([0]), paddingIndex: -4))
    }
}
