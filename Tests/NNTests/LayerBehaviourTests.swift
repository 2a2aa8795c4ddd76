import Foundation
import NN
import Torch
import XCTest

/// Small behaviours of individual layers beyond their initial values.
final class LayerBehaviourTests: XCTestCase {
    func testEmbeddingPaddingRowGetsNoGradient() throws {
        let table = try Embedding(5, 3, paddingIndex: 0, init: ParameterInit(seed: 1))
        let ids = try Tensor([0, 2, 0, 4] as [Int64], shape: [2, 2])
        try table(ids).sum().backward()
        let grad = try XCTUnwrap(table.weight.grad).doubles()
        XCTAssertEqual(Array(grad[0..<3]), [0, 0, 0], "padding row")
        XCTAssertEqual(Array(grad[6..<9]), [1, 1, 1], "row 2 used once")
        XCTAssertEqual(Array(grad[3..<6]), [0, 0, 0], "row 1 unused")
    }

    func testConvOutputSizeMatchesTheConvolution() throws {
        let p = ParameterInit(seed: 0)
        for (kernel, stride, padding, dilation) in [(3, 1, 1, 1), (4, 2, 0, 1), (3, 2, 1, 2), (5, 3, 2, 1)] {
            let conv = try Conv(spatialDims: 2, 2, 3, kernel: kernel, stride: stride, padding: padding, dilation: dilation, init: p)
            let y = try conv(Tensor.zeros([1, 2, 11, 9]))
            XCTAssertEqual(y.shape, [1, 3, conv.outputSize(11), conv.outputSize(9)], "k\(kernel) s\(stride) p\(padding) d\(dilation)")
            let expected = (11 + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
            XCTAssertEqual(conv.outputSize(11), expected)
        }
        let conv1 = try Conv(spatialDims: 1, 2, 4, kernel: 3, padding: 1, init: p)
        XCTAssertEqual(try conv1(Tensor.zeros([2, 2, 7])).shape, [2, 4, 7])
    }

    func testSinusoidalPositionsFollowVaswani() throws {
        let width = 6
        let encoding = try PositionalEncoding(.sinusoidal, maxLength: 10, width: width, init: ParameterInit(seed: 0))
        let added = try encoding(Tensor.zeros([1, 10, width])).doubles()
        for pos in [0, 3, 9] {
            for i in 0..<(width / 2) {
                let angle = Double(pos) / pow(10000, Double(2 * i) / Double(width))
                XCTAssertEqual(added[pos * width + 2 * i], sin(angle), accuracy: 1e-6)
                XCTAssertEqual(added[pos * width + 2 * i + 1], cos(angle), accuracy: 1e-6)
            }
        }
        XCTAssertThrowsError(try encoding(Tensor.zeros([1, 11, width]))) { XCTAssertTrue("\($0)".contains("maxLength"), "\($0)") }
    }

    func testLayerNormNormalisesTheLastDimension() throws {
        let norm = try LayerNorm(4, init: ParameterInit(seed: 0, dtype: .float64))
        let y = try norm(Tensor([1, 2, 3, 10, -5, 0, 5, 0] as [Double], shape: [2, 4])).doubles()
        for row in 0..<2 {
            let values = Array(y[(4 * row)..<(4 * row + 4)])
            let mean = values.reduce(0, +) / 4
            XCTAssertEqual(mean, 0, accuracy: 1e-9)
            XCTAssertEqual(values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4, 1, accuracy: 1e-4)
        }
    }
}
