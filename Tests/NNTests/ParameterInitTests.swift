import NN
import Torch
import XCTest

/// Initial values follow PyTorch's default rule for each layer (bounds from fan-in, variance of U(−b, b) = b²/3).
final class ParameterInitTests: XCTestCase {
    /// U(−b, b) over many values: every value inside, the extremes reached, mean ≈ 0 and variance ≈ b²/3.
    private func assertUniform(_ tensor: Tensor, bound: Double, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try ValueStatistics(tensor)
        XCTAssertLessThanOrEqual(s.maxAbs, bound * (1 + 1e-6), "\(what): value outside ±\(bound)", file: file, line: line)
        if s.count >= 1000 {
            XCTAssertGreaterThan(s.maxAbs, 0.99 * bound, "\(what): extremes not reached", file: file, line: line)
            // The standard error of the mean is b/√(3n); allow 5 of them.
            XCTAssertLessThan(Swift.abs(s.mean), 5 * bound / (3 * Double(s.count)).squareRoot(), "\(what): mean", file: file, line: line)
            XCTAssertEqual(s.variance / (bound * bound / 3), 1, accuracy: 0.05, "\(what): variance", file: file, line: line)
        } else {
            XCTAssertGreaterThan(s.maxAbs, 0.5 * bound, "\(what): values suspiciously small", file: file, line: line)
        }
    }

    func testLinearWeightAndBiasAreUniformOverOneOverRootFanIn() throws {
        let layer = try Linear(400, 300, init: ParameterInit(seed: 1))
        let bound = 1 / 400.0.squareRoot()
        try assertUniform(layer.weight, bound: bound, "Linear weight")
        try assertUniform(XCTUnwrap(layer.bias), bound: bound, "Linear bias")
        XCTAssertEqual(layer.weight.shape, [300, 400])
    }

    func testConvFanInIncludesTheKernel() throws {
        let conv2 = try Conv(spatialDims: 2, 16, 64, kernel: 5, init: ParameterInit(seed: 2))
        let bound2 = 1 / (16.0 * 25).squareRoot()
        try assertUniform(conv2.weight, bound: bound2, "Conv2d weight")
        try assertUniform(XCTUnwrap(conv2.bias), bound: bound2, "Conv2d bias")

        let conv1 = try Conv(spatialDims: 1, 12, 48, kernel: 7, groups: 3, init: ParameterInit(seed: 3))
        let bound1 = 1 / (4.0 * 7).squareRoot()  // fan_in = in/groups · k
        XCTAssertEqual(conv1.weight.shape, [48, 4, 7])
        try assertUniform(conv1.weight, bound: bound1, "grouped Conv1d weight")
        try assertUniform(XCTUnwrap(conv1.bias), bound: bound1, "grouped Conv1d bias")
    }

    func testEmbeddingIsStandardNormalWithZeroPaddingRow() throws {
        let table = try Embedding(2000, 64, paddingIndex: 5, init: ParameterInit(seed: 4))
        let s = try ValueStatistics(table.weight)
        XCTAssertEqual(s.mean, 0, accuracy: 0.02)
        XCTAssertEqual(s.variance, 1, accuracy: 0.03)
        XCTAssertEqual(try table.weight.select(dim: 0, index: 5).doubles(), Array(repeating: 0, count: 64))
        XCTAssertGreaterThan(s.maxAbs, 3, "a normal sample this large has values beyond 3σ")
    }

    func testNormalizationLayersStartAsIdentity() throws {
        let p = ParameterInit(seed: 5)
        let layerNorm = try LayerNorm(10, init: p)
        XCTAssertEqual(try layerNorm.weight.doubles(), Array(repeating: 1, count: 10))
        XCTAssertEqual(try layerNorm.bias.doubles(), Array(repeating: 0, count: 10))
        let batchNorm = try BatchNorm(7, init: p)
        XCTAssertEqual(try batchNorm.weight.doubles(), Array(repeating: 1, count: 7))
        XCTAssertEqual(try batchNorm.bias.doubles(), Array(repeating: 0, count: 7))
        XCTAssertEqual(try batchNorm.runningMean.value.doubles(), Array(repeating: 0, count: 7))
        XCTAssertEqual(try batchNorm.runningVar.value.doubles(), Array(repeating: 1, count: 7))
        XCTAssertFalse(batchNorm.runningMean.value.requiresGrad, "running statistics are not trained")
    }

    func testRecurrentWeightsUseOneOverRootHiddenWhateverTheInput() throws {
        for cell in [RecurrentCell.tanh, .lstm] {
            let rnn = try Recurrent(cell, input: 300, hidden: 64, layers: 2, init: ParameterInit(seed: 6))
            let bound = 1 / 64.0.squareRoot()
            for (name, tensor) in rnn.namedParameters() {
                try assertUniform(tensor, bound: bound, "\(cell) \(name)")
            }
        }
    }

    func testAttentionInProjectionIsXavierAndBiasesAreZero() throws {
        let e = 64
        let attention = try MultiheadAttention(embedDim: e, heads: 4, init: ParameterInit(seed: 7))
        // xavier_uniform_ on the whole [3E, E] matrix: fan_in E, fan_out 3E.
        try assertUniform(attention.inProjWeight, bound: (6 / Double(e + 3 * e)).squareRoot(), "in-projection")
        XCTAssertEqual(try attention.inProjBias.doubles(), Array(repeating: 0, count: 3 * e))
        XCTAssertEqual(try XCTUnwrap(attention.outProj.bias).doubles(), Array(repeating: 0, count: e))
        try assertUniform(attention.outProj.weight, bound: 1 / Double(e).squareRoot(), "out-projection weight")
    }

    func testEveryParameterRequiresGradients() throws {
        let layer = try TransformerLayer(width: 8, heads: 2, feedForward: 16, init: ParameterInit(seed: 8))
        XCTAssertTrue(layer.namedParameters().allSatisfy { $0.1.requiresGrad })
        XCTAssertEqual(layer.trainableParameters().count, layer.namedParameters().count)
    }

    func testSameSeedGivesIdenticalParametersAndAnotherSeedDifferent() throws {
        func build(_ seed: UInt64) throws -> [(String, [Double])] {
            let layer = try TransformerLayer(width: 16, heads: 4, feedForward: 32, init: ParameterInit(seed: seed))
            return try layer.namedParameters().map { ($0.0, try $0.1.doubles()) }
        }
        let a = try build(42), b = try build(42), c = try build(43)
        XCTAssertEqual(a.map(\.0), b.map(\.0))
        for (x, y) in zip(a, b) { XCTAssertEqual(x.1, y.1, "\(x.0) differs for the same seed") }
        let randomNames = Set(["attention.inProjWeight", "attention.outProj.weight", "linear1.weight", "linear1.bias",
                               "linear2.weight", "linear2.bias"])
        for (x, z) in zip(a, c) where randomNames.contains(x.0) {
            XCTAssertNotEqual(x.1, z.1, "\(x.0) is the same for seeds 42 and 43")
        }
    }

    func testParametersAreDrawnFromTheGivenGeneratorNotTheGlobalOne() throws {
        Torch.manualSeed(1)
        let a = try Linear(5, 5, init: ParameterInit(seed: 9)).weight.doubles()
        Torch.manualSeed(2)
        _ = try Tensor.randn([100])
        let b = try Linear(5, 5, init: ParameterInit(seed: 9)).weight.doubles()
        XCTAssertEqual(a, b)
    }

    func testFloat64Parameters() throws {
        let layer = try Linear(3, 2, init: ParameterInit(seed: 1, dtype: .float64))
        XCTAssertEqual(layer.weight.dtype, .float64)
        XCTAssertEqual(try layer(Tensor.ones([4, 3], dtype: .float64)).shape, [4, 2])
    }
}
