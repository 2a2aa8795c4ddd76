import Foundation
import NN
import Torch
import XCTest

final class MultiheadAttentionTests: XCTestCase {
    private func attention(heads: Int = 2, width: Int = 8) throws -> MultiheadAttention {
        let layer = try MultiheadAttention(embedDim: width, heads: heads, init: ParameterInit(seed: 11, dtype: .float64))
        // Non-zero biases, so that a wrong bias slice would show.
        try Torch.withNoGrad {
            try layer.inProjBias.copy_(Tensor.randn([3 * width], dtype: .float64, generator: Generator(seed: 12)))
            try XCTUnwrap(layer.outProj.bias).copy_(Tensor.randn([width], dtype: .float64, generator: Generator(seed: 13)))
        }
        layer.eval()
        return layer
    }

    /// Copies x [N, T, E] and overwrites positions `from..<T` of example `example` with other values.
    private func changed(_ x: Tensor, example: Int, from: Int) throws -> Tensor {
        let y = try x.clone()
        let tail = try y.select(dim: 0, index: example).slice(dim: 0, start: from)
        try Torch.withNoGrad { try tail.copy_(Tensor.randn(tail.shape, dtype: .float64, generator: Generator(seed: 77))) }
        return y
    }

    func testCausalOutputAtTDoesNotSeeLaterInputs() throws {
        let layer = try attention()
        let x = try Tensor.randn([2, 6, 8], dtype: .float64, generator: Generator(seed: 1))
        let y = try layer(x, causal: true)
        let y2 = try layer(changed(x, example: 0, from: 4), causal: true)
        try assertClose(y.slice(dim: 1, end: 4), y2.slice(dim: 1, end: 4), tolerance: 1e-12, "positions before the change")
        XCTAssertGreaterThan(try maxAbsDifference(y.slice(dim: 1, start: 4).doubles(), y2.slice(dim: 1, start: 4).doubles()), 1e-3)
        // Without the mask every position sees the change.
        let free = try layer(x), free2 = try layer(changed(x, example: 0, from: 4))
        XCTAssertGreaterThan(try maxAbsDifference(free.select(dim: 0, index: 0).slice(dim: 0, end: 4).doubles(),
                                                  free2.select(dim: 0, index: 0).slice(dim: 0, end: 4).doubles()), 1e-3)
    }

    func testPaddedKeysDoNotAffectOtherPositions() throws {
        let layer = try attention()
        let x = try Tensor.randn([2, 6, 8], dtype: .float64, generator: Generator(seed: 2))
        // Example 0 has 4 real positions and 2 padding ones; example 1 none padded.
        let mask = try Tensor([false, false, false, false, true, true, false, false, false, false, false, false], shape: [2, 6])
        let y = try layer(x, keyPaddingMask: mask)
        let y2 = try layer(changed(x, example: 0, from: 4), keyPaddingMask: mask)
        try assertClose(y.select(dim: 0, index: 0).slice(dim: 0, end: 4), y2.select(dim: 0, index: 0).slice(dim: 0, end: 4),
                        tolerance: 1e-12, "real positions ignore the padding")
        try assertClose(y.select(dim: 0, index: 1), y2.select(dim: 0, index: 1), tolerance: 1e-12, "other examples")
    }

    func testKeyPaddingMaskOfTheWrongShapeThrows() throws {
        let layer = try attention()
        let x = try Tensor.randn([2, 6, 8], dtype: .float64)
        XCTAssertThrowsError(try layer(x, keyPaddingMask: Tensor.zeros([2, 5], dtype: .bool)))
        XCTAssertThrowsError(try layer(Tensor.randn([2, 6, 7], dtype: .float64)))
    }

    /// softmax(q·kᵀ/√d)·v per head, concatenated and projected, written out in Double loops.
    func testMatchesScaledDotProductAttentionWrittenOut() throws {
        let (n, t, e, heads) = (2, 3, 4, 2)
        let d = e / heads
        let layer = try attention(heads: heads, width: e)
        let x = try Tensor.randn([n, t, e], dtype: .float64, generator: Generator(seed: 3))
        let actual = try layer(x, causal: true).doubles()

        let xs = try x.doubles(), w = try layer.inProjWeight.doubles(), b = try layer.inProjBias.doubles()
        let wo = try layer.outProj.weight.doubles(), bo = try XCTUnwrap(layer.outProj.bias).doubles()
        func project(_ row: Int, _ example: Int, _ position: Int) -> Double {  // (W x + b)[row]
            (0..<e).reduce(b[row]) { $0 + w[row * e + $1] * xs[(example * t + position) * e + $1] }
        }
        var expected: [Double] = []
        for example in 0..<n {
            for query in 0..<t {
                var context = Array(repeating: 0.0, count: e)
                for head in 0..<heads {
                    let keys = 0...query  // causal
                    let scores = keys.map { key in
                        (0..<d).reduce(0.0) { sum, j in
                            sum + project(head * d + j, example, query) * project(e + head * d + j, example, key)
                        } / Double(d).squareRoot()
                    }
                    let top = scores.max()!
                    let exps = scores.map { Foundation.exp($0 - top) }
                    let total = exps.reduce(0, +)
                    for (weight, key) in zip(exps, keys) {
                        for j in 0..<d { context[head * d + j] += weight / total * project(2 * e + head * d + j, example, key) }
                    }
                }
                for out in 0..<e { expected.append((0..<e).reduce(bo[out]) { $0 + wo[out * e + $1] * context[$1] }) }
            }
        }
        XCTAssertLessThan(maxAbsDifference(actual, expected), 1e-12)
    }

    func testAttentionDropoutOnlyInTraining() throws {
        let layer = try MultiheadAttention(embedDim: 8, heads: 2, dropout: 0.5, init: ParameterInit(seed: 1))
        let x = try Tensor.randn([2, 5, 8], generator: Generator(seed: 4))
        XCTAssertGreaterThan(try maxAbsDifference(layer(x).doubles(), layer(x).doubles()), 0, "training: random masks")
        layer.eval()
        try assertClose(layer(x), layer(x), tolerance: 0)
    }
}
