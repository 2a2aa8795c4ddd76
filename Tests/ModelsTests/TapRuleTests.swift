import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// The tap rules of method.md §3: which activations, in which order, with which names and widths.
final class TapRuleTests: XCTestCase {
    private func taps(_ model: Model, n: Int = 2) throws -> [(name: String, width: Int)] {
        let (_, recorder) = try model(TestModels.batch(model.input, n), recordTaps: true)
        let r = try XCTUnwrap(recorder)
        return zip(r.names, r.activations).map { ($0, $1.count / n) }
    }

    func testTheHeadIsNeverATap() throws {
        for family in ModelFamily.allCases {
            for input in TestModels.inputs {
                for output in TestModels.outputs where family.incompatibility(input: input, output: output) == nil {
                    let model = try TestModels.build(family, input, output)
                    let names = try taps(model).map(\.name)
                    XCTAssertFalse(names.contains { $0 == "head" || $0.hasPrefix("head.linear") || $0.hasPrefix("head.") && $0 != "head.pool" },
                                   "\(family.rawValue) \(input) \(output): \(names)")
                    // The logits themselves are not among the taps: no tap has the logits' width at the last position.
                    let logits = try model(TestModels.batch(input, 2)).logits
                    if let last = try taps(model).last { XCTAssertNotEqual(last.width, logits.count / 2, "\(family.rawValue) \(input) \(output)") }
                }
            }
        }
    }

    func testFullyConnectedTapsAreOnePerBlockBeforeBatchNorm() throws {
        for depth in [1, 4] {
            for input in TestModels.inputs {
                let model = try TestModels.build(.fcn, input, .classes(5), options: ["depth": .int(depth), "width": 16])
                let found = try taps(model)
                XCTAssertEqual(found.map(\.name), (0..<depth).map { "blocks.\($0).linear" })
                XCTAssertEqual(found.map(\.width), Array(repeating: 16, count: depth))
            }
        }
        // blocks.0.linear is the Linear output itself: before BatchNorm and ReLU (so it has negative values).
        // Training mode, where BatchNorm (batch statistics) is far from the identity.
        let model = try XCTUnwrap(try TestModels.build(.fcn, TestModels.image, .classes(5)) as? FullyConnectedModel)
        let batch = try TestModels.batch(TestModels.image, 4)
        let recorder = try XCTUnwrap(model(batch, recordTaps: true).taps)
        let direct = try model.blocks[0].linear(batch.inputs.reshape([4, -1]))
        XCTAssertEqual(try TestModels.maxAbsDifference(recorder.activations[0], direct), 0, accuracy: 1e-6)
        XCTAssertTrue(try recorder.activations[0].doubles().contains { $0 < 0 })
    }

    func testConvNetTapsAreConvsThenThePool() throws {
        // 8×8 image, 3 layers of 6 channels, a 2× pool after layer 2: conv outputs 6·8·8, 6·8·8, 6·4·4, pool 6.
        let image = try taps(TestModels.build(.cnn, TestModels.image, .classes(5)))
        XCTAssertEqual(image.map(\.name), ["layers.0.conv", "layers.1.conv", "layers.2.conv", "head.pool"])
        XCTAssertEqual(image.map(\.width), [384, 384, 96, 6])
        // Signal 1×40: lengths 40, 40, 20.
        let signal = try taps(TestModels.build(.cnn, TestModels.signal, .classes(5)))
        XCTAssertEqual(signal.map(\.width), [240, 240, 120, 6])
        // Per-token outputs neither pool nor average: the head reads every position.
        let perToken = try taps(TestModels.build(.cnn, TestModels.tokens, .perToken(11)))
        XCTAssertEqual(perToken.map(\.name), ["layers.0.conv", "layers.1.conv", "layers.2.conv"])
        XCTAssertEqual(perToken.map(\.width), [72, 72, 72])
    }

    func testResNetTapsFollowTheBlocks() throws {
        let found = try taps(TestModels.build(.resnet, TestModels.image, .classes(5)))
        // depth 8: three stages of one basic block; stages 2 and 3 change shape, so they have a projection shortcut.
        XCTAssertEqual(found.map(\.name), [
            "stem.conv", "stages.0.0.conv1", "stages.0.0.conv2", "stages.1.0.conv1", "stages.1.0.conv2",
            "stages.1.0.downsample", "stages.2.0.conv1", "stages.2.0.conv2", "stages.2.0.downsample", "head.pool",
        ])
        XCTAssertEqual(found.map(\.width), [4 * 64, 4 * 64, 4 * 64, 8 * 16, 8 * 16, 8 * 16, 16 * 4, 16 * 4, 16 * 4, 16])
    }

    func testRecurrentTapsAreFullSequences() throws {
        let lengths: [(ModelInput, Int)] = [(TestModels.image, 8), (TestModels.signal, 40), (TestModels.tokens, 12)]
        for family in [ModelFamily.rnn, .lstm] {
            for (input, steps) in lengths {
                let found = try taps(TestModels.build(family, input, .classes(5)))
                XCTAssertEqual(found.map(\.name), ["layers.0", "layers.1"], "\(family.rawValue) \(input)")
                XCTAssertEqual(found.map(\.width), [steps * 12, steps * 12], "\(family.rawValue) \(input)")
            }
        }
        // layers.0 is the first layer's output at every step of the signal read step by step.
        let model = try XCTUnwrap(try TestModels.build(.rnn, TestModels.signal, .classes(5)) as? RecurrentModel)
        let batch = try TestModels.batch(TestModels.signal, 2)
        let recorder = try XCTUnwrap(model(batch, recordTaps: true).taps)
        let direct = try model.layers[0](batch.inputs.transpose(1, 2)).output
        XCTAssertEqual(try TestModels.maxAbsDifference(recorder.activations[0], direct), 0, accuracy: 1e-6)
    }

    func testTransformerTapsInExecutionOrder() throws {
        let perLayer = ["attention", "norm1", "linear1", "linear2", "norm2"]
        let tokens = try taps(TestModels.build(.transformer, TestModels.tokens, .classes(5)))
        XCTAssertEqual(tokens.map(\.name), (0..<2).flatMap { l in perLayer.map { "layers.\(l).\($0)" } })
        XCTAssertEqual(tokens.map(\.width), [96, 96, 192, 96, 96, 96, 96, 192, 96, 96])
        // Images enter as 4×4 patches through a Conv, which is tapped; pre-LN adds the final LayerNorm.
        let image = try taps(TestModels.build(.transformer, TestModels.image, .classes(5), options: ["norm_first": true]))
        let preLN = ["norm1", "attention", "norm2", "linear1", "linear2"]
        XCTAssertEqual(image.map(\.name), ["input.patch"] + (0..<2).flatMap { l in preLN.map { "layers.\(l).\($0)" } } + ["norm"])
        XCTAssertEqual(image.first?.width, 8 * 4)
    }

    func testMixerTapsInExecutionOrder() throws {
        let found = try taps(TestModels.build(.mixer, TestModels.signal, .classes(5)))
        let block = ["norm1", "tokens.linear1", "tokens.linear2", "norm2", "channels.linear1", "channels.linear2"]
        XCTAssertEqual(found.map(\.name), ["input.patch"] + (0..<2).flatMap { b in block.map { "blocks.\(b).\($0)" } } + ["norm"])
        // 10 patches of width 8; token mixing runs over positions (hidden 8), channel mixing over channels (hidden 16).
        XCTAssertEqual(Array(found.map(\.width).prefix(7)), [80, 80, 64, 80, 80, 160, 80])
    }

    func testTapsComeFromTheSameForwardPassAsTheLogits() throws {
        for family in ModelFamily.allCases {
            let model = try TestModels.build(family, TestModels.image, .classes(5))
            model.eval()
            let batch = try TestModels.batch(TestModels.image, 4)
            let (withTaps, _) = try model(batch, recordTaps: true)
            let (without, none) = try model(batch)
            XCTAssertNil(none)
            XCTAssertEqual(try TestModels.maxAbsDifference(withTaps, without), 0, family.rawValue)
        }
        // In training mode a second pass would move BatchNorm's running mean twice: one pass, one update.
        let model = try XCTUnwrap(try TestModels.build(.fcn, TestModels.image, .classes(5)) as? FullyConnectedModel)
        let batch = try TestModels.batch(TestModels.image, 8)
        let (logits, recorder) = try model(batch, recordTaps: true)
        let tap0 = try XCTUnwrap(recorder).activations[0]
        let norm = try XCTUnwrap(model.blocks[0].norm)
        XCTAssertEqual(try TestModels.maxAbsDifference(norm.runningMean.value, tap0.mean(dim: 0) * 0.1), 0, accuracy: 1e-6)
        // And the last tap is what the head reads: logits = head(ReLU(BatchNorm(last tap))) with the batch statistics.
        let last = try XCTUnwrap(recorder).activations.last!
        let normalized = try last.batchNorm(weight: model.blocks.last!.norm!.weight, bias: model.blocks.last!.norm!.bias,
                                            runningMean: nil, runningVar: nil, training: true, momentum: 0.1, eps: 1e-5)
        XCTAssertEqual(try TestModels.maxAbsDifference(logits, model.head(normalized.relu())), 0, accuracy: 1e-5)
    }

    func testDescribeTapsProbesWithTheModelsOwnDType() throws {
        let model = try ModelBuilder.build(family: "fcn", options: ["depth": 2, "width": 8], input: TestModels.signal,
                                           output: .classes(5), init: ParameterInit(seed: 0, dtype: .float64))
        XCTAssertEqual(try model.describeTaps().map(\.width), [8, 8])
    }
}
