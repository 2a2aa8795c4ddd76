import NN
import Torch
import XCTest

/// A module whose state exercises every discovery rule: a direct parameter, an optional parameter that is absent,
/// a child, an optional child, an array of children, nested arrays, a buffer and an ignored underscore property.
private final class Composite: Module, @unchecked Sendable {
    let scale: Tensor
    let offset: Tensor?
    let first: Linear
    let missing: Linear?
    let present: Linear?
    let stack: [Linear]
    let grid: [[Linear]]
    let statistics: Buffer
    let scratch: Buffer
    let _cache: Tensor

    init(_ p: ParameterInit) throws {
        scale = try p.ones([3])
        offset = nil
        first = try Linear(3, 4, init: p)
        missing = nil
        present = try Linear(4, 4, bias: false, init: p)
        stack = try [Linear(4, 2, init: p), Linear(2, 4, init: p)]
        grid = try [[Linear(1, 1, init: p)], [], [Linear(1, 2, bias: false, init: p)]]
        statistics = Buffer(try p.constant([2], value: 0))
        scratch = Buffer(try p.constant([2], value: 0), persistent: false)
        _cache = try Tensor.zeros([9])
        super.init()
    }
}

final class ModuleStateTests: XCTestCase {
    func testPathsFollowPropertiesAndArrayIndicesInDeclarationOrder() throws {
        let module = try Composite(ParameterInit(seed: 0))
        XCTAssertEqual(module.namedParameters().map(\.0), [
            "scale", "first.weight", "first.bias", "present.weight", "stack.0.weight", "stack.0.bias",
            "stack.1.weight", "stack.1.bias", "grid.0.0.weight", "grid.0.0.bias", "grid.2.0.weight",
        ])
        XCTAssertEqual(module.namedBuffers().map(\.0), ["statistics", "scratch"])
        XCTAssertEqual(module.namedChildren.map(\.0), ["first", "present", "stack.0", "stack.1", "grid.0.0", "grid.2.0"])
        // A checkpoint holds parameters and persistent buffers only.
        XCTAssertEqual(Set(module.stateDict().keys),
                       Set(module.namedParameters().map(\.0)).union(["statistics"]))
        XCTAssertEqual(module.parameterCount, 3 + (12 + 4) + 16 + (8 + 2) + (8 + 4) + (1 + 1) + 2)
    }

    func testLinearAndConvCounts() throws {
        let p = ParameterInit(seed: 0)
        XCTAssertEqual(try Linear(13, 7, init: p).parameterCount, 13 * 7 + 7)
        XCTAssertEqual(try Linear(13, 7, bias: false, init: p).parameterCount, 13 * 7)
        XCTAssertEqual(try Linear(13, 7, init: p).namedParameters().map(\.0), ["weight", "bias"])
        XCTAssertEqual(try Conv(spatialDims: 2, 3, 8, kernel: 5, init: p).parameterCount, 8 * 3 * 25 + 8)
        XCTAssertEqual(try Conv(spatialDims: 1, 6, 9, kernel: 4, groups: 3, bias: false, init: p).parameterCount, 9 * 2 * 4)
    }

    func testRecurrentCountsPerLayer() throws {
        let p = ParameterInit(seed: 0)
        let (input, h) = (10, 20)
        let lstm = try Recurrent(.lstm, input: input, hidden: h, layers: 3, init: p)
        // Layer 0 reads the input, later layers the previous hidden state; 4 gates, two bias vectors.
        let lstmCount = (4 * h * (input + h) + 8 * h) + 2 * (4 * h * (h + h) + 8 * h)
        XCTAssertEqual(lstm.parameterCount, lstmCount)
        let rnn = try Recurrent(.tanh, input: input, hidden: h, layers: 2, init: p)
        XCTAssertEqual(rnn.parameterCount, (h * (input + h) + 2 * h) + (h * (h + h) + 2 * h))
        XCTAssertEqual(rnn.namedParameters().map(\.0), [
            "layers.0.weightIH", "layers.0.weightHH", "layers.0.biasIH", "layers.0.biasHH",
            "layers.1.weightIH", "layers.1.weightHH", "layers.1.biasIH", "layers.1.biasHH",
        ])
        XCTAssertEqual(try Recurrent(.lstm, input: input, hidden: h, bias: false, init: p).parameterCount, 4 * h * (input + h))
    }

    func testAttentionAndTransformerLayerCounts() throws {
        let p = ParameterInit(seed: 0)
        let (e, f) = (24, 40)
        XCTAssertEqual(try MultiheadAttention(embedDim: e, heads: 3, init: p).parameterCount, 4 * e * e + 4 * e)
        let layer = try TransformerLayer(width: e, heads: 3, feedForward: f, init: p)
        let expected = (4 * e * e + 4 * e) + (e * f + f) + (f * e + e) + 2 * (2 * e)
        XCTAssertEqual(layer.parameterCount, expected)
        XCTAssertEqual(Set(layer.namedParameters().map(\.0)), [
            "attention.inProjWeight", "attention.inProjBias", "attention.outProj.weight", "attention.outProj.bias",
            "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
            "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
        ])
    }

    func testNormalizationEmbeddingAndPositionCounts() throws {
        let p = ParameterInit(seed: 0)
        let batchNorm = try BatchNorm(6, init: p)
        XCTAssertEqual(batchNorm.parameterCount, 12)
        XCTAssertEqual(Set(batchNorm.stateDict().keys), ["weight", "bias", "runningMean", "runningVar"])
        XCTAssertEqual(try LayerNorm([3, 4], init: p).parameterCount, 24)
        XCTAssertEqual(try Embedding(11, 5, init: p).parameterCount, 55)
        XCTAssertEqual(try PositionalEncoding(.learned, maxLength: 9, width: 4, init: p).parameterCount, 36)
        let sinusoidal = try PositionalEncoding(.sinusoidal, maxLength: 9, width: 4, init: p)
        XCTAssertEqual(sinusoidal.parameterCount, 0)
        XCTAssertTrue(sinusoidal.stateDict().isEmpty, "fixed sinusoids are recomputed, not checkpointed")
    }

    func testInvalidShapesThrowInsteadOfCrashing() {
        let p = ParameterInit(seed: 0)
        XCTAssertThrowsError(try Linear(0, 3, init: p))
        XCTAssertThrowsError(try Conv(spatialDims: 3, 1, 1, kernel: 1, init: p))
        XCTAssertThrowsError(try Conv(spatialDims: 2, 3, 4, kernel: 1, groups: 2, init: p))
        XCTAssertThrowsError(try MultiheadAttention(embedDim: 10, heads: 3, init: p)) { error in
            XCTAssertTrue("\(error)".contains("divide"), "\(error)")
        }
        XCTAssertThrowsError(try Embedding(4, 2, paddingIndex: 4, init: p))
        XCTAssertThrowsError(try Dropout(1))
    }
}
