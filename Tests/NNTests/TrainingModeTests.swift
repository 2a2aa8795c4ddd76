import NN
import Torch
import XCTest

/// Two layers in a row, with a dropout and a batch norm, to check that modes and freezing reach every descendant.
private final class TwoLayers: Module, @unchecked Sendable {
    let first: Linear
    let norm: BatchNorm
    let dropout: Dropout
    let second: Linear

    init(_ p: ParameterInit) throws {
        first = try Linear(4, 6, init: p)
        norm = try BatchNorm(6, init: p)
        dropout = try Dropout(0.5)
        second = try Linear(6, 2, init: p)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try second(dropout(norm(first(x)).relu())) }
}

final class TrainingModeTests: XCTestCase {
    func testDropoutZeroesAndRescalesInTrainingOnlyAndIsIdentityInEval() throws {
        let dropout = try Dropout(0.25)
        let x = try Tensor.ones([20_000])
        let trained = try dropout(x).doubles()
        XCTAssertTrue(trained.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 }, "survivors are scaled by 1/(1−p)")
        let dropped = Double(trained.filter { $0 == 0 }.count) / Double(trained.count)
        XCTAssertEqual(dropped, 0.25, accuracy: 0.02)
        dropout.eval()
        XCTAssertEqual(try dropout(x).doubles(), Array(repeating: 1, count: 20_000))
    }

    func testBatchNormUsesBatchStatisticsAndUpdatesRunningOnesInTrainingOnly() throws {
        let norm = try BatchNorm(2, momentum: 0.1, init: ParameterInit(seed: 0, dtype: .float64))
        // Channel 0 holds 1, 2, 3, 4 (mean 2.5, unbiased variance 5/3); channel 1 holds 10, 10, 20, 20 (15, 100/3).
        let x = try Tensor([1, 10, 2, 10, 3, 20, 4, 20] as [Double], shape: [4, 2])
        let y = try norm(x)
        let columns = try y.transpose(0, 1).doubles()
        for c in 0..<2 {
            let column = Array(columns[(4 * c)..<(4 * c + 4)])
            XCTAssertEqual(column.reduce(0, +) / 4, 0, accuracy: 1e-9, "training output is centred on the batch mean")
        }
        try assertClose(norm.runningMean.value, Tensor([0.25, 1.5] as [Double]), tolerance: 1e-9)
        try assertClose(norm.runningVar.value, Tensor([0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 100 / 3] as [Double]), tolerance: 1e-9)

        norm.eval()
        let before = try norm.runningMean.value.doubles()
        let evaluated = try norm(x).doubles()
        XCTAssertEqual(try norm.runningMean.value.doubles(), before, "eval mode leaves running statistics alone")
        let mean = [0.25, 1.5], variance = [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 100 / 3]
        let raw = try x.doubles()
        let expected = raw.indices.map { i in (raw[i] - mean[i % 2]) / (variance[i % 2] + 1e-5).squareRoot() }
        XCTAssertLessThan(maxAbsDifference(evaluated, expected), 1e-9)
    }

    func testModeReachesEveryDescendant() throws {
        let model = try TwoLayers(ParameterInit(seed: 0))
        XCTAssertTrue(model.isTraining && model.dropout.isTraining && model.norm.isTraining)
        model.eval()
        XCTAssertFalse(model.isTraining || model.dropout.isTraining || model.norm.isTraining || model.first.isTraining)
        let x = try Tensor.randn([5, 4], generator: Generator(seed: 1))
        try assertClose(model(x), model(x), tolerance: 0, "eval mode is deterministic")
        model.train()
        XCTAssertTrue(model.dropout.isTraining && model.norm.isTraining)
    }

    func testFreezeStopsGradientsAndEmptiesTrainableParameters() throws {
        let model = try TwoLayers(ParameterInit(seed: 0))
        model.eval()
        try model.first.freeze()
        XCTAssertEqual(model.trainableParameters().count, model.namedParameters().count - 2)
        let x = try Tensor.randn([5, 4], generator: Generator(seed: 1))
        try model(x).sum().backward()
        XCTAssertNil(model.first.weight.grad, "a frozen layer receives no gradient")
        XCTAssertNil(model.first.bias?.grad)
        XCTAssertNotNil(model.second.weight.grad)

        try model.freeze()
        XCTAssertTrue(model.trainableParameters().isEmpty)
        XCTAssertFalse(try model(x).requiresGrad, "a fully frozen model's output records no graph")
        try model.freeze(false)
        XCTAssertEqual(model.trainableParameters().count, model.namedParameters().count)
    }

    func testZeroGradDropsAccumulatedGradients() throws {
        let layer = try Linear(3, 1, init: ParameterInit(seed: 0))
        let x = try Tensor.ones([2, 3])
        try layer(x).sum().backward()
        try layer(x).sum().backward()
        XCTAssertEqual(try XCTUnwrap(layer.weight.grad).doubles(), [4, 4, 4], "gradients accumulate across backward calls")
        try layer.zeroGrad()
        let remaining = try layer.weight.grad.map { try $0.doubles() } ?? [0, 0, 0]
        XCTAssertEqual(remaining, [0, 0, 0])
    }
}
