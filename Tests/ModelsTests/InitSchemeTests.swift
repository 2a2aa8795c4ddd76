import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// `init: pytorch | kaiming | xavier | orthogonal` (InitScheme) against torch.nn.init's formulas, checked on the
/// drawn values: empirical moments of large layers, bounds, orthogonality.
final class InitSchemeTests: XCTestCase {
    private func parameter(_ model: Model, _ name: String) throws -> [Float] {
        let found = model.namedParameters().first { $0.0 == name }
        return try XCTUnwrap(found, "no parameter \(name) in \(model.namedParameters().map(\.0))").1.floats()
    }

    private func shape(_ model: Model, _ name: String) -> [Int] { model.namedParameters().first { $0.0 == name }!.1.shape }

    private func moments(_ values: [Float]) -> (mean: Double, std: Double) {
        let n = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / n
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
        return (mean, variance.squareRoot())
    }

    /// max |A·Aᵀ − I| for a row-major [rows, cols] matrix (rows of A orthonormal when it is 0).
    private func rowOrthonormalityError(_ a: [Float], rows: Int, cols: Int) -> Double {
        var worst = 0.0
        for i in 0..<rows {
            for j in 0..<rows {
                var dot = 0.0
                for k in 0..<cols { dot += Double(a[i * cols + k]) * Double(a[j * cols + k]) }
                worst = max(worst, abs(dot - (i == j ? 1 : 0)))
            }
        }
        return worst
    }

    private func transpose(_ a: [Float], rows: Int, cols: Int) -> [Float] {
        var t = [Float](repeating: 0, count: a.count)
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = a[i * cols + j] } }
        return t
    }

    private let wideSignal = ModelInput.signal(channels: 1, length: 256)

    private func fcn(_ scheme: String?, seed: UInt64 = 7) throws -> Model {
        var options: [String: ConfigValue] = ["depth": 2, "width": 512]
        if let scheme { options["init"] = .string(scheme) }
        return try ModelBuilder.build(family: "fcn", options: options, input: wideSignal, output: .classes(10),
                                      init: ParameterInit(seed: seed))
    }

    func testPyTorchIsTheDefaultAndDrawsWhatEachLayerDrawsByItself() throws {
        let implicit = try fcn(nil), explicit = try fcn("pytorch")
        for ((name, a), (_, b)) in zip(implicit.namedParameters(), explicit.namedParameters()) {
            XCTAssertEqual(try a.floats(), try b.floats(), name)
        }
        // The first layer is exactly a Linear built alone from the same seed (PyTorch's kaiming_uniform(a=√5)).
        let alone = try Linear(256, 512, init: ParameterInit(seed: 7))
        XCTAssertEqual(try parameter(implicit, "blocks.0.linear.weight"), try alone.weight.floats())
        XCTAssertEqual(try parameter(implicit, "blocks.0.linear.bias"), try XCTUnwrap(alone.bias).floats())
    }

    func testKaimingIsNormalWithReLUGainOverFanInAndZeroBiases() throws {
        let model = try fcn("kaiming")
        for (name, fanIn) in [("blocks.0.linear.weight", 256), ("blocks.1.linear.weight", 512), ("head.weight", 512)] {
            let (mean, std) = moments(try parameter(model, name))
            let expected = (2.0 / Double(fanIn)).squareRoot()
            XCTAssertEqual(std / expected, 1, accuracy: name == "head.weight" ? 0.05 : 0.01, name)
            XCTAssertEqual(mean, 0, accuracy: 4 * expected / Double(try parameter(model, name).count).squareRoot(), name)
        }
        for name in ["blocks.0.linear.bias", "blocks.1.linear.bias", "head.bias"] {
            XCTAssertTrue(try parameter(model, name).allSatisfy { $0 == 0 }, name)
        }
        // BatchNorm keeps its default (weight 1, bias 0).
        XCTAssertTrue(try parameter(model, "blocks.0.norm.weight").allSatisfy { $0 == 1 })
        // Deterministic in the seed, different across seeds.
        XCTAssertEqual(try parameter(model, "head.weight"), try parameter(fcn("kaiming"), "head.weight"))
        XCTAssertNotEqual(try parameter(model, "head.weight"), try parameter(fcn("kaiming", seed: 8), "head.weight"))
    }

    func testXavierIsUniformWithinTheGlorotBound() throws {
        let model = try fcn("xavier")
        let weights = try parameter(model, "blocks.1.linear.weight")  // [512, 512]
        let bound = (6.0 / Double(512 + 512)).squareRoot()
        XCTAssertLessThanOrEqual(weights.map { abs(Double($0)) }.max()!, bound)
        XCTAssertGreaterThan(weights.map { abs(Double($0)) }.max()!, 0.99 * bound)
        XCTAssertEqual(moments(weights).std / (bound / 3.0.squareRoot()), 1, accuracy: 0.01)
        XCTAssertTrue(try parameter(model, "blocks.1.linear.bias").allSatisfy { $0 == 0 })
        // The transformer's attention in-projection [3E, E] is re-drawn as one matrix: bound √(6 / (E + 3E)).
        let transformer = try ModelBuilder.build(family: "transformer", options: ["width": 64, "init": "xavier", "layers": 1],
                                                 input: .tokens(length: 8, vocabulary: 10), output: .classes(3),
                                                 init: ParameterInit(seed: 1))
        let name = try XCTUnwrap(transformer.namedParameters().map(\.0).first { $0.hasSuffix("inProjWeight") })
        let inProjection = try parameter(transformer, name)
        let attentionBound = (6.0 / Double(64 + 3 * 64)).squareRoot()
        XCTAssertLessThanOrEqual(inProjection.map { abs(Double($0)) }.max()!, attentionBound)
        XCTAssertEqual(moments(inProjection).std / (attentionBound / 3.0.squareRoot()), 1, accuracy: 0.03)
    }

    func testOrthogonalRowsOrColumnsAreOrthonormal() throws {
        let model = try fcn("orthogonal")
        // blocks.0 is [512 out, 256 in], taller than wide: its columns are orthonormal (Wᵀ·W = I).
        let first = try parameter(model, "blocks.0.linear.weight")
        XCTAssertLessThan(rowOrthonormalityError(transpose(first, rows: 512, cols: 256), rows: 256, cols: 512), 1e-5)
        // The head [10, 512] is wide: its rows are orthonormal.
        XCTAssertLessThan(rowOrthonormalityError(try parameter(model, "head.weight"), rows: 10, cols: 512), 1e-5)
        XCTAssertTrue(try parameter(model, "head.bias").allSatisfy { $0 == 0 })

        // LSTM: weight_hh [4H, H] (tall: columns orthonormal), weight_ih [4H, E] likewise; conv [out, in·k] rows.
        let lstm = try ModelBuilder.build(family: "lstm", options: ["layers": 1, "hidden": 16, "embed": 8, "init": "orthogonal"],
                                          input: .tokens(length: 5, vocabulary: 7), output: .classes(3),
                                          init: ParameterInit(seed: 2))
        let hh = try XCTUnwrap(lstm.namedParameters().first { $0.0.hasSuffix("weightHH") })
        XCTAssertEqual(hh.1.shape, [64, 16])
        XCTAssertLessThan(rowOrthonormalityError(transpose(try hh.1.floats(), rows: 64, cols: 16), rows: 16, cols: 64), 1e-5)
        let cnn = try ModelBuilder.build(family: "cnn", options: ["depth": 2, "channels": 8, "init": "orthogonal"],
                                         input: .signal(channels: 4, length: 16), output: .classes(3), init: ParameterInit(seed: 3))
        let conv = try XCTUnwrap(cnn.namedParameters().first { $0.0.hasSuffix("weight") && $0.1.shape.count == 3 })
        XCTAssertEqual(conv.1.shape, [8, 4, 3])
        XCTAssertLessThan(rowOrthonormalityError(try conv.1.floats(), rows: 8, cols: 12), 1e-5)
    }

    func testEveryFamilyWithWeightsAcceptsEveryScheme() throws {
        for family in ModelFamily.allCases where !family.isGuideOnly {
            for scheme in ModelFamily.initSchemes {
                let model = try TestModels.build(family, TestModels.tokens, .classes(5), options: ["init": .string(scheme)])
                let logits = try model(TestModels.batch(TestModels.tokens, 3)).logits
                XCTAssertTrue(try logits.isfinite().all().item() != 0, "\(family.rawValue) \(scheme)")
            }
        }
    }

    func testAnUnknownSchemeOrAFamilyWithoutWeightsIsRefusedNamingTheField() {
        XCTAssertThrowsError(try ModelBuilder.validate(family: "fcn", options: ["init": "he"], input: wideSignal,
                                                       output: .classes(3))) { error in
            XCTAssertEqual((error as? OptionError)?.field, "init", "\(error)")
            XCTAssertTrue("\(error)".contains("kaiming"), "lists the allowed values: \(error)")
        }
        XCTAssertThrowsError(try ModelBuilder.validate(family: "input", options: ["init": "kaiming"], input: wideSignal,
                                                       output: .classes(3))) { error in
            XCTAssertEqual((error as? OptionError)?.field, "init", "\(error)")
            XCTAssertTrue("\(error)".contains("no weights"), "\(error)")
        }
    }
}
