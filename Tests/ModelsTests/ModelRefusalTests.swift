import Config
import Models
import NN
import XCTest

/// Requests that cannot be built are refused by `validate` (which allocates nothing) with an error that names the
/// problem, and `build` refuses them the same way.
final class ModelRefusalTests: XCTestCase {
    private func assertRefused<E: Error>(_ family: String, _ options: [String: ConfigValue], _ input: ModelInput,
                                         _ output: ModelOutput, as _: E.Type, mentioning words: [String],
                                         file: StaticString = #filePath, line: UInt = #line, check: (E) -> Void = { _ in }) {
        let attempts: [(String, () throws -> Void)] = [
            ("validate", { try ModelBuilder.validate(family: family, options: options, input: input, output: output) }),
            ("build", { _ = try ModelBuilder.build(family: family, options: options, input: input, output: output,
                                                   init: ParameterInit(seed: 0)) }),
        ]
        for (name, attempt) in attempts {
            XCTAssertThrowsError(try attempt(), "\(name) accepted it", file: file, line: line) { error in
                guard let typed = error as? E else { return XCTFail("\(name): \(type(of: error)) \(error)", file: file, line: line) }
                let text = "\(error)"
                for word in words { XCTAssertTrue(text.contains(word), "\(name): '\(word)' not in: \(text)", file: file, line: line) }
                check(typed)
            }
        }
    }

    func testFullyConnectedNetCannotPredictTheNextToken() {
        assertRefused("fcn", [:], TestModels.tokens, .nextToken(11), as: ModelError.self, mentioning: ["fcn", "next-token", "rnn"])
        assertRefused("mixer", [:], TestModels.tokens, .nextToken(11), as: ModelError.self, mentioning: ["mixer", "causal"])
        assertRefused("cnn", [:], TestModels.tokens, .nextToken(11), as: ModelError.self, mentioning: ["cnn"])
    }

    func testPerPositionOutputsNeedTokens() {
        assertRefused("transformer", [:], TestModels.image, .perToken(11), as: ModelError.self, mentioning: ["token inputs", "image"])
        assertRefused("lstm", [:], TestModels.signal, .nextToken(11), as: ModelError.self, mentioning: ["token inputs", "signal"])
    }

    func testConvNetTooDeepForTheInput() {
        // 8×8 halves three times at most; depth 8 pooling every 2 layers would need four halvings.
        assertRefused("cnn", ["depth": 8, "pool_every": 2], TestModels.image, .classes(5), as: ModelError.self,
                      mentioning: ["depth 8", "pool_every", "at most 3"])
        XCTAssertNoThrow(try ModelBuilder.validate(family: "cnn", options: ["depth": 6, "pool_every": 2], input: TestModels.image,
                                                   output: .classes(5)))
        XCTAssertNoThrow(try ModelBuilder.validate(family: "cnn", options: ["depth": 8, "pool_every": 0], input: TestModels.image,
                                                   output: .classes(5)))
    }

    func testTransformerHeadsMustDivideTheWidth() {
        assertRefused("transformer", ["width": 10, "heads": 4], TestModels.tokens, .classes(5), as: OptionError.self,
                      mentioning: ["heads", "10"]) { XCTAssertEqual($0.field, "heads") }
    }

    func testUnknownFamilySuggestsTheNearestName() {
        assertRefused("resnte", [:], TestModels.image, .classes(5), as: OptionError.self,
                      mentioning: ["resnte", "did you mean \"resnet\"", "transformer"]) { XCTAssertEqual($0.field, "family") }
        assertRefused("LSTM", [:], TestModels.image, .classes(5), as: OptionError.self, mentioning: ["did you mean \"lstm\""])
    }

    func testUnknownOptionFieldIsNamedWithASuggestionAndTheKnownFields() {
        assertRefused("fcn", ["widht": 64], TestModels.image, .classes(5), as: OptionError.self,
                      mentioning: ["model fcn", "widht", "did you mean \"width\"", "depth"]) { XCTAssertEqual($0.field, "widht") }
    }

    func testOptionValuesOfTheWrongKindOrRangeAreRefused() {
        assertRefused("fcn", ["depth": "deep"], TestModels.image, .classes(5), as: OptionError.self,
                      mentioning: ["depth", "integer"])
        assertRefused("rnn", ["hidden": 0], TestModels.image, .classes(5), as: OptionError.self, mentioning: ["hidden", "1..."])
        assertRefused("transformer", ["activation": "tanh"], TestModels.image, .classes(5), as: OptionError.self,
                      mentioning: ["activation", "relu", "gelu"])
        assertRefused("cnn", ["depth": 3, "channels": [4, 8]], TestModels.image, .classes(5), as: OptionError.self,
                      mentioning: ["channels", "depth 3"])
        assertRefused("cnn", ["kernel": 4], TestModels.tokens, .perToken(11), as: OptionError.self, mentioning: ["kernel", "odd"])
        assertRefused("resnet", ["depth": 9], TestModels.image, .classes(5), as: OptionError.self, mentioning: ["depth", "18"])
    }

    func testPatchLargerThanTheInput() {
        assertRefused("mixer", ["patch": 16], TestModels.image, .classes(5), as: ModelError.self, mentioning: ["patch 16", "8×8"])
        assertRefused("transformer", ["patch": 41], TestModels.signal, .classes(5), as: ModelError.self, mentioning: ["patch 41"])
    }

    /// A net of 4096 blocks of 2²⁰ units would need terabytes: validating it, or refusing it for a bad field, must
    /// therefore happen before any parameter is allocated.
    func testChecksHappenBeforeAnyParameterIsAllocated() {
        let huge: [String: ConfigValue] = ["depth": 4096, "width": 1_048_576]
        XCTAssertNoThrow(try ModelBuilder.validate(family: "fcn", options: huge, input: TestModels.image, output: .classes(5)))
        var misspelt = huge
        misspelt["batchnorm"] = false
        assertRefused("fcn", misspelt, TestModels.image, .classes(5), as: OptionError.self, mentioning: ["did you mean \"batch_norm\""])
        assertRefused("fcn", huge, TestModels.tokens, .nextToken(11), as: ModelError.self, mentioning: ["causal"])
    }
}
