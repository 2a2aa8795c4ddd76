import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

final class ParameterCountTests: XCTestCase {
    /// torchvision.models.resnet18(num_classes=1000) has 11,689,512 parameters.
    func testResNet18MatchesTorchvision() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 18, "width": 64, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 224, width: 224), output: .classes(1000),
                                           init: ParameterInit(seed: 0))
        XCTAssertEqual(model.parameterCount, 11_689_512)
    }

    /// torchvision.models.resnet50 has 25,557,032 parameters.
    func testResNet50MatchesTorchvision() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 50, "width": 64, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 224, width: 224), output: .classes(1000),
                                           init: ParameterInit(seed: 0))
        XCTAssertEqual(model.parameterCount, 25_557_032)
    }

    func testResNet18HasTwentyOneTaps() throws {
        let model = try ModelBuilder.build(family: "resnet", options: ["depth": 18, "width": 8, "stem": "imagenet"],
                                           input: .image(channels: 3, height: 64, width: 64), output: .classes(10),
                                           init: ParameterInit(seed: 0))
        let taps = try model.describeTaps()
        XCTAssertEqual(taps.count, 21, "\(taps.map(\.name))")
    }

    // MARK: counts by formula for small configurations

    private func count(_ family: ModelFamily, _ input: ModelInput, _ output: ModelOutput,
                       _ extra: [String: ConfigValue] = [:]) throws -> Int {
        try TestModels.build(family, input, output, options: extra).parameterCount
    }

    /// Σ (in·out + out) over the Linear layers, 2·width per BatchNorm, then the head.
    func testFullyConnected() throws {
        // image 1×8×8 flattened: 64 → 16 → 16 → 16 → 5
        let linears = (64 * 16 + 16) + 2 * (16 * 16 + 16)
        XCTAssertEqual(try count(.fcn, TestModels.image, .classes(5)), linears + 3 * 2 * 16 + (16 * 5 + 5))
        XCTAssertEqual(try count(.fcn, TestModels.image, .classes(5), ["batch_norm": false]), linears + (16 * 5 + 5))
        // tokens: an 11×4 embedding, 12·4 = 48 features; per-token head 16 → 12·11
        let tokens = 11 * 4 + (48 * 16 + 16) + 2 * (16 * 16 + 16) + 3 * 32 + (16 * 132 + 132)
        XCTAssertEqual(try count(.fcn, TestModels.tokens, .perToken(11)), tokens)
        XCTAssertEqual(try count(.wideFCN, TestModels.signal, .classes(5)), (40 * 48 + 48) + 2 * 48 + (48 * 5 + 5))
    }

    func testPlainConvNet() throws {
        // 3×3 kernels, 1 → 6 → 6 → 6 channels; with BatchNorm the convs have no bias.
        let weights = 9 * 1 * 6 + 2 * (9 * 6 * 6)
        XCTAssertEqual(try count(.cnn, TestModels.image, .classes(5)), weights + 3 * 12 + (6 * 5 + 5))
        XCTAssertEqual(try count(.cnn, TestModels.image, .classes(5), ["batch_norm": false]), weights + 3 * 6 + (6 * 5 + 5))
        XCTAssertEqual(try count(.cnn, TestModels.signal, .classes(5), ["channels": [2, 3, 4]]),
                       (3 * 1 * 2) + (3 * 2 * 3) + (3 * 3 * 4) + 2 * (2 + 3 + 4) + (4 * 5 + 5))
    }

    func testRecurrent() throws {
        // Signal read step by step: 1 feature; hidden 12, two layers.
        let rnn = (12 * (1 + 12) + 2 * 12) + (12 * (12 + 12) + 2 * 12) + (12 * 5 + 5)
        XCTAssertEqual(try count(.rnn, TestModels.signal, .classes(5)), rnn)
        // Tokens embedded to 4; LSTM layers have 4 gate blocks.
        let lstm = 11 * 4 + (4 * 12 * (4 + 12) + 8 * 12) + (4 * 12 * (12 + 12) + 8 * 12) + (12 * 11 + 11)
        XCTAssertEqual(try count(.lstm, TestModels.tokens, .nextToken(11)), lstm)
        // Image read row by row: 8 features per step.
        XCTAssertEqual(try count(.rnn, TestModels.image, .classes(5)), rnn + 12 * 7)
    }

    func testTransformer() throws {
        let (e, f) = (8, 16)
        let layer = (4 * e * e + 4 * e) + (e * f + f) + (f * e + e) + 4 * e
        XCTAssertEqual(try count(.transformer, TestModels.tokens, .classes(5)), 11 * e + 2 * layer + (e * 5 + 5))
        XCTAssertEqual(try count(.transformer, TestModels.tokens, .nextToken(11), ["positional": "learned", "norm_first": true]),
                       11 * e + 12 * e + 2 * layer + 2 * e + (e * 11 + 11))
        // 8×8 image in 4×4 patches: a Conv of 1·16·8 weights + 8 biases, 4 positions.
        XCTAssertEqual(try count(.transformer, TestModels.image, .classes(5)), (16 * e + e) + 2 * layer + (e * 5 + 5))
    }

    func testMixer() throws {
        // Signal 1×40 in patches of 4: 10 positions of width 8.
        let block = 2 * 16 + (10 * 8 + 8) + (8 * 10 + 10) + (8 * 16 + 16) + (16 * 8 + 8)
        XCTAssertEqual(try count(.mixer, TestModels.signal, .classes(5)), (4 * 8 + 8) + 2 * block + 16 + (8 * 5 + 5))
    }
}
