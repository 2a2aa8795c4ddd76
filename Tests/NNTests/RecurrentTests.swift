import Foundation
import NN
import Torch
import XCTest

/// The fused libtorch kernels against the recurrences written out in Double with the layer's own weights.
final class RecurrentTests: XCTestCase {
    private struct LayerWeights {
        let wih: [Double], whh: [Double], bih: [Double], bhh: [Double]
        let input: Int

        init(_ layer: RecurrentLayerWeights) throws {
            wih = try layer.weightIH.doubles()
            whh = try layer.weightHH.doubles()
            bih = try XCTUnwrap(layer.biasIH).doubles()
            bhh = try XCTUnwrap(layer.biasHH).doubles()
            input = layer.weightIH.size(1)
        }

        /// Row `row` of W_ih·x + b_ih + W_hh·h + b_hh.
        func preactivation(_ row: Int, x: [Double], h: [Double]) -> Double {
            var sum = bih[row] + bhh[row]
            for j in 0..<x.count { sum += wih[row * x.count + j] * x[j] }
            for j in 0..<h.count { sum += whh[row * h.count + j] * h[j] }
            return sum
        }
    }

    private func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

    /// Sequences [N][T][features] of the input tensor [N, T, F].
    private func sequences(_ x: Tensor) throws -> [[[Double]]] {
        let values = try x.doubles()
        let (n, t, f) = (x.size(0), x.size(1), x.size(2))
        return (0..<n).map { i in (0..<t).map { s in Array(values[((i * t + s) * f)..<((i * t + s + 1) * f)]) } }
    }

    func testTanhRNNMatchesTheRecurrence() throws {
        let (hidden, layers) = (4, 2)
        let rnn = try Recurrent(.tanh, input: 3, hidden: hidden, layers: layers, init: ParameterInit(seed: 5, dtype: .float64))
        let x = try Tensor.randn([2, 5, 3], dtype: .float64, generator: Generator(seed: 6))
        let result = try rnn(x)
        XCTAssertEqual(result.output.shape, [2, 5, hidden])
        XCTAssertEqual(result.hidden.shape, [layers, 2, hidden])
        XCTAssertNil(result.cell)

        let weights = try rnn.layers.map(LayerWeights.init)
        var expectedOutput: [Double] = [], finals = Array(repeating: [[Double]](), count: layers)
        for sequence in try sequences(x) {
            var steps = sequence
            for (l, w) in weights.enumerated() {
                var h = Array(repeating: 0.0, count: hidden)
                steps = steps.map { input in
                    h = (0..<hidden).map { Foundation.tanh(w.preactivation($0, x: input, h: h)) }
                    return h
                }
                finals[l].append(h)
            }
            expectedOutput += steps.flatMap { $0 }
        }
        XCTAssertLessThan(maxAbsDifference(try result.output.doubles(), expectedOutput), 1e-12)
        XCTAssertLessThan(maxAbsDifference(try result.hidden.doubles(), finals.flatMap { $0.flatMap { $0 } }), 1e-12)
    }

    func testLSTMMatchesTheRecurrenceWithGatesInPyTorchOrder() throws {
        let hidden = 3
        let lstm = try Recurrent(.lstm, input: 2, hidden: hidden, init: ParameterInit(seed: 7, dtype: .float64))
        let x = try Tensor.randn([2, 4, 2], dtype: .float64, generator: Generator(seed: 8))
        let result = try lstm(x)
        let w = try LayerWeights(lstm.layers[0])
        var expected: [Double] = [], cells: [Double] = []
        for sequence in try sequences(x) {
            var h = Array(repeating: 0.0, count: hidden), c = h
            for input in sequence {
                let z = (0..<(4 * hidden)).map { w.preactivation($0, x: input, h: h) }
                // Gate blocks i, f, g, o.
                for k in 0..<hidden {
                    let i = sigmoid(z[k]), f = sigmoid(z[hidden + k]), g = Foundation.tanh(z[2 * hidden + k])
                    c[k] = f * c[k] + i * g
                }
                h = (0..<hidden).map { sigmoid(z[3 * hidden + $0]) * Foundation.tanh(c[$0]) }
                expected += h
            }
            cells += c
        }
        XCTAssertLessThan(maxAbsDifference(try result.output.doubles(), expected), 1e-12)
        XCTAssertLessThan(maxAbsDifference(try XCTUnwrap(result.cell).doubles(), cells), 1e-12)
    }

    func testInitialStateIsUsed() throws {
        let rnn = try Recurrent(.tanh, input: 2, hidden: 3, init: ParameterInit(seed: 1))
        let x = try Tensor.randn([1, 2, 2], generator: Generator(seed: 2))
        let fromZero = try rnn(x).output
        let fromOnes = try rnn(x, h0: Tensor.ones([1, 1, 3])).output
        XCTAssertGreaterThan(try maxAbsDifference(fromZero.doubles(), fromOnes.doubles()), 1e-4)
    }

    func testWrongRankThrows() throws {
        let rnn = try Recurrent(.tanh, input: 2, hidden: 3, init: ParameterInit(seed: 1))
        XCTAssertThrowsError(try rnn(Tensor.zeros([2, 2])))
    }
}
