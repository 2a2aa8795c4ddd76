import NN
import Torch
import XCTest

final class TransformerLayerTests: XCTestCase {
    private func layer(normFirst: Bool, gelu: Bool = false) throws -> TransformerLayer {
        let layer = try TransformerLayer(width: 8, heads: 2, feedForward: 12, dropout: 0.1, normFirst: normFirst, gelu: gelu,
                                         init: ParameterInit(seed: 3, dtype: .float64))
        // LayerNorm affine parameters away from 1/0, so that a missing or misplaced norm shows.
        try Torch.withNoGrad {
            for norm in [layer.norm1, layer.norm2] {
                try norm.weight.copy_(Tensor.rand([8], dtype: .float64, generator: Generator(seed: 4)) + 0.5)
                try norm.bias.copy_(Tensor.randn([8], dtype: .float64, generator: Generator(seed: 5)))
            }
        }
        layer.eval()
        return layer
    }

    func testPostNormIsNormAfterEachResidual() throws {
        let block = try layer(normFirst: false)
        let x = try Tensor.randn([2, 5, 8], dtype: .float64, generator: Generator(seed: 1))
        let h = try block.norm1(x + block.attention(x))
        let expected = try block.norm2(h + block.linear2(block.linear1(h).relu()))
        try assertClose(block(x), expected, tolerance: 1e-12)
    }

    func testPreNormIsNormBeforeEachSublayer() throws {
        let block = try layer(normFirst: true, gelu: true)
        let x = try Tensor.randn([2, 5, 8], dtype: .float64, generator: Generator(seed: 1))
        let h = try x + block.attention(block.norm1(x))
        let expected = try h + block.linear2(block.linear1(block.norm2(h)).gelu())
        try assertClose(block(x), expected, tolerance: 1e-12)
    }

    func testTapsAreRecordedInTheDeclaredOrderAndCausalityHolds() throws {
        for normFirst in [false, true] {
            let block = try layer(normFirst: normFirst)
            let recorder = TapRecorder()
            let x = try Tensor.randn([1, 6, 8], dtype: .float64, generator: Generator(seed: 2))
            let y = try block(x, causal: true, taps: recorder.scope("layer"))
            XCTAssertEqual(recorder.names, block.tapNames.map { "layer.\($0)" })
            XCTAssertEqual(recorder.activations.map(\.shape), recorder.names.map { $0.hasSuffix("linear1") ? [1, 6, 12] : [1, 6, 8] })
            // The output at position 2 only depends on positions 0...2.
            let changed = try x.clone()
            try changed.slice(dim: 1, start: 3).copy_(Tensor.zeros([1, 3, 8], dtype: .float64))
            try assertClose(y.slice(dim: 1, end: 3), block(changed, causal: true).slice(dim: 1, end: 3), tolerance: 1e-12)
        }
    }

    func testDropoutMakesTrainingRandomAndEvalDeterministic() throws {
        let block = try layer(normFirst: false)
        let x = try Tensor.randn([2, 5, 8], dtype: .float64, generator: Generator(seed: 1))
        try assertClose(block(x), block(x), tolerance: 0)
        block.train()
        XCTAssertGreaterThan(try maxAbsDifference(block(x).doubles(), block(x).doubles()), 1e-6)
    }
}
