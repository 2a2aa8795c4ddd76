import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// Every family built for every input kind and output kind it serves: logits and taps have the right shapes.
final class ModelOutputTests: XCTestCase {
    /// The serving rule, stated independently of the code: every family classifies every input kind; per-token
    /// outputs need tokens; next-token outputs need tokens and a causal family.
    private func serves(_ family: ModelFamily, _ input: ModelInput, _ output: ModelOutput) -> Bool {
        let isTokens: Bool
        if case .tokens = input { isTokens = true } else { isTokens = false }
        switch output {
        case .classes: return true
        case .perToken: return isTokens
        case .nextToken: return isTokens && [.rnn, .lstm, .transformer].contains(family)
        }
    }

    func testEveryServedCombinationHasTheRightLogitAndTapShapes() throws {
        let n = 3
        var built = 0
        for family in ModelFamily.allCases {
            for input in TestModels.inputs {
                for output in TestModels.outputs {
                    let what = "\(family.rawValue) \(input) → \(output)"
                    guard serves(family, input, output) else {
                        XCTAssertThrowsError(try ModelBuilder.validate(family: family.rawValue, options: TestModels.options(family),
                                                                       input: input, output: output), what) { error in
                            XCTAssertTrue(error is ModelError, "\(what): \(error)")
                        }
                        continue
                    }
                    built += 1
                    let model = try TestModels.build(family, input, output)
                    let batch = try TestModels.batch(input, n)
                    let (logits, recorder) = try model(batch, recordTaps: true)
                    XCTAssertEqual(logits.shape, TestModels.logitShape(input, output, n), what)
                    XCTAssertTrue(try logits.isfinite().all().item() != 0, what)
                    let taps = try XCTUnwrap(recorder, what)
                    XCTAssertFalse(taps.names.isEmpty, what)
                    XCTAssertEqual(Set(taps.names).count, taps.names.count, "\(what): tap names are unique: \(taps.names)")
                    for (name, activation) in zip(taps.names, taps.activations) {
                        XCTAssertEqual(activation.size(0), n, "\(what): tap \(name) is per example")
                    }
                    let described = try model.describeTaps()
                    XCTAssertEqual(described.map(\.name), taps.names, what)
                    XCTAssertEqual(described.map(\.width), taps.activations.map { $0.count / n }, what)
                    XCTAssertTrue(model.isTraining, "\(what): describeTaps restores the mode")
                }
            }
        }
        XCTAssertEqual(built, 8 * 3 + 8 + 3, "8 families × 3 inputs classify, 8 tag tokens, 3 predict the next token")
    }

    func testNextTokenLogitsAtPositionTIgnoreLaterTokens() throws {
        for family in [ModelFamily.rnn, .lstm, .transformer] {
            let model = try TestModels.build(family, TestModels.tokens, .nextToken(11))
            model.eval()
            let batch = try TestModels.batch(TestModels.tokens, 2)
            let changed = try batch.inputs.clone()
            try changed.slice(dim: 1, start: 7).copy_((changed.slice(dim: 1, start: 7) + 1.0).remainder(11.0))
            let a = try model(batch).logits, b = try model(ModelBatch(inputs: changed)).logits
            XCTAssertEqual(try TestModels.maxAbsDifference(a.slice(dim: 1, end: 7), b.slice(dim: 1, end: 7)), 0, accuracy: 1e-6,
                           "\(family.rawValue): positions before 7 must not see tokens from 7 on")
            XCTAssertGreaterThan(try TestModels.maxAbsDifference(a.slice(dim: 1, start: 7), b.slice(dim: 1, start: 7)), 1e-4,
                                 "\(family.rawValue): later positions see their tokens")
        }
    }

    func testPerTokenTransformerSeesBothSides() throws {
        let model = try TestModels.build(.transformer, TestModels.tokens, .perToken(11))
        model.eval()
        let batch = try TestModels.batch(TestModels.tokens, 2)
        let changed = try batch.inputs.clone()
        try changed.slice(dim: 1, start: 7).copy_((changed.slice(dim: 1, start: 7) + 1.0).remainder(11.0))
        let a = try model(batch).logits, b = try model(ModelBatch(inputs: changed)).logits
        XCTAssertGreaterThan(try TestModels.maxAbsDifference(a.slice(dim: 1, end: 7), b.slice(dim: 1, end: 7)), 1e-4)
    }

    func testPaddingDoesNotChangeClassLogitsOfSequenceFamilies() throws {
        // Example 0 has 8 real tokens, then 4 padding positions whose ids change; example 1 is not padded.
        var maskValues = Array(repeating: false, count: 24)
        for t in 8..<12 { maskValues[t] = true }
        let mask = try Tensor(maskValues, shape: [2, 12])
        for family in [ModelFamily.rnn, .lstm, .transformer] {
            let model = try TestModels.build(family, TestModels.tokens, .classes(5))
            model.eval()
            let inputs = try TestModels.batch(TestModels.tokens, 2).inputs
            let changed = try inputs.clone()
            let padding = try changed.select(dim: 0, index: 0).slice(dim: 0, start: 8)
            try padding.copy_((padding + 3.0).remainder(11.0))
            let a = try model(ModelBatch(inputs: inputs, paddingMask: mask)).logits
            let b = try model(ModelBatch(inputs: changed, paddingMask: mask)).logits
            XCTAssertEqual(try TestModels.maxAbsDifference(a, b), 0, accuracy: 1e-6, "\(family.rawValue): padding leaked into the logits")
            let unmasked = try model(ModelBatch(inputs: inputs)).logits
            XCTAssertGreaterThan(try TestModels.maxAbsDifference(a.select(dim: 0, index: 0), unmasked.select(dim: 0, index: 0)), 1e-5,
                                 "\(family.rawValue): the mask must matter for the padded example")
        }
    }

    func testSameSeedSameModelDifferentSeedDifferentOutputs() throws {
        let batch = try TestModels.batch(TestModels.image, 2)
        for family in ModelFamily.allCases {
            let a = try TestModels.build(family, TestModels.image, .classes(5), seed: 3)
            let b = try TestModels.build(family, TestModels.image, .classes(5), seed: 3)
            let c = try TestModels.build(family, TestModels.image, .classes(5), seed: 4)
            for m in [a, b, c] { m.eval() }
            XCTAssertEqual(try TestModels.maxAbsDifference(a(batch).logits, b(batch).logits), 0, family.rawValue)
            XCTAssertGreaterThan(try TestModels.maxAbsDifference(a(batch).logits, c(batch).logits), 1e-6, family.rawValue)
        }
    }

    func testNonDefaultOptionsBuildAndRun() throws {
        let cases: [(ModelFamily, [String: ConfigValue])] = [
            (.fcn, ["depth": 0]), (.fcn, ["dropout": 0.5, "batch_norm": false]),
            (.cnn, ["kernel": 1]), (.cnn, ["kernel": 5, "pool_every": 1, "channels": [2, 3, 4], "batch_norm": false]),
            (.cnn, ["pool_every": 0]),
            (.resnet, ["depth": 50, "width": 2]), (.resnet, ["depth": 10, "stem": "imagenet"]), (.resnet, ["blocks": [1, 2], "bottleneck": true]),
            (.rnn, ["layers": 1, "dropout": 0.3]), (.lstm, ["layers": 3, "dropout": 0.3]),
            (.transformer, ["norm_first": true, "activation": "gelu", "positional": "learned", "patch": 3, "dropout": 0.2]),
            (.mixer, ["patch": 3]), (.mixer, ["patch": 5]),
        ]
        for (family, options) in cases {
            for input in TestModels.inputs {
                for output in TestModels.outputs where family.incompatibility(input: input, output: output) == nil {
                    let what = "\(family.rawValue) \(options) \(input) → \(output)"
                    let model: Model
                    do {
                        model = try TestModels.build(family, input, output, options: options)
                    } catch {
                        XCTFail("\(what): \(error)")
                        continue
                    }
                    let batch = try TestModels.batch(input, 2)
                    let (logits, taps) = try model(batch, recordTaps: true)
                    XCTAssertEqual(logits.shape, TestModels.logitShape(input, output, 2), what)
                    XCTAssertEqual(try model.describeTaps().map(\.name), taps?.names, what)
                    try model.zeroGrad()
                    try logits.sum().backward()
                }
            }
        }
    }
}
