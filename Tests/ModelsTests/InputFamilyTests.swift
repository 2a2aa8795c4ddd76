import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// The guide-only `input` family: every tap is the input, flattened per example.
final class InputFamilyTests: XCTestCase {
    func testEveryTapIsTheFlattenedInput() throws {
        for input in [TestModels.image, TestModels.signal] {
            let model = try ModelBuilder.build(family: "input", options: ["taps": 3], input: input, output: .classes(5),
                                               init: ParameterInit(seed: 0))
            let batch = try TestModels.batch(input, 4)
            let (logits, recorder) = try model(batch, recordTaps: true)
            let taps = try XCTUnwrap(recorder)
            XCTAssertEqual(taps.names, ["input.0", "input.1", "input.2"])
            let expected = try batch.inputs.floats()
            for activation in taps.activations {
                XCTAssertEqual(activation.shape, [4, expected.count / 4])
                XCTAssertEqual(try activation.floats(), expected, "\(input): the tap is the input, row-major per example")
            }
            XCTAssertEqual(logits.shape, [4, 5])
            XCTAssertTrue(try logits.floats().allSatisfy { $0 == 0 })
            XCTAssertEqual(model.namedParameters().count, 0)
        }
    }

    func testTokenIdsBecomeOneHotRows() throws {
        let model = try ModelBuilder.build(family: "input", options: [:], input: TestModels.tokens, output: .perToken(11),
                                           init: ParameterInit(seed: 0))
        let batch = try TestModels.batch(TestModels.tokens, 2)
        let (_, recorder) = try model(batch, recordTaps: true)
        let tap = try XCTUnwrap(recorder).activations
        XCTAssertEqual(tap.count, 1, "one tap by default")
        XCTAssertEqual(tap[0].shape, [2, 12 * 11])
        let rows = try tap[0].floats(), ids = try batch.inputs.toArray(Int64.self)
        for example in 0..<2 {
            for position in 0..<12 {
                let slot = Array(rows[(example * 12 + position) * 11 ..< (example * 12 + position + 1) * 11])
                XCTAssertEqual(slot.reduce(0, +), 1)
                XCTAssertEqual(slot.firstIndex(of: 1), Int(ids[example * 12 + position]))
            }
        }
    }

    func testTapCountIsTheOption() throws {
        let model = try ModelBuilder.build(family: "input", options: ["taps": 48], input: TestModels.signal,
                                           output: .classes(5), init: ParameterInit(seed: 0))
        XCTAssertEqual(try model.describeTaps().map(\.width), Array(repeating: 40, count: 48))
        XCTAssertThrowsError(try ModelBuilder.validate(family: "input", options: ["taps": 0], input: TestModels.signal,
                                                       output: .classes(5))) { error in
            XCTAssertEqual((error as? OptionError)?.field, "taps", "\(error)")
        }
    }
}
