@testable import Guidance
import XCTest

/// The choice of each guide tap's cached form by step cost and memory, as a pure function: the figures below are
/// derived from the model's own parameters, so the tests hold for any calibration.
final class GuideCacheCostModelTests: XCTestCase {
    let model = GuideCacheCostModel.measured
    let mib = 1_048_576

    func tap(_ index: Int, width: Int, readers: Int = 1, gram: Bool = true) -> GuideCacheCostModel.Tap {
        GuideCacheCostModel.Tap(index: index, width: width, readers: readers, gramAllowed: gram)
    }

    /// The width above which one reader's Gram product costs more than gathering and centring the block.
    var breakEvenWidth: Double { model.gatheredElementNanoseconds / model.multiplyAddNanoseconds }

    func testStepCostsFollowTheArithmetic() {
        let n = 256, wide = tap(0, width: 1280, readers: 2)
        XCTAssertEqual(model.stepNanoseconds(wide, as: .gram, batchSize: n), Double(n * n) * model.gatheredElementNanoseconds, accuracy: 1e-6)
        XCTAssertEqual(model.stepNanoseconds(wide, as: .activations, batchSize: n),
                       Double(n * 1280) * model.copiedElementNanoseconds + 2 * Double(n * n * 1280) * model.multiplyAddNanoseconds,
                       accuracy: 1e-3)
        XCTAssertEqual(GuideCacheCostModel.bytes(wide, as: .gram, examples: 3600, elementBytes: 4), 3600 * 3600 * 4)
        XCTAssertEqual(GuideCacheCostModel.bytes(wide, as: .activations, examples: 3600, elementBytes: 4), 3600 * 1280 * 4)
    }

    /// A 640-wide tap on a small training set: its Gram is both faster per step and smaller; a narrow tap stays as
    /// activations, whose product is cheaper than the random gather.
    func testWideTapsOnSmallTrainingSetsAreGramsNarrowOnesActivations() throws {
        let wide = Int(breakEvenWidth * 4), narrow = Int(breakEvenWidth / 4)
        let choice = try XCTUnwrap(model.choose([tap(0, width: 640), tap(1, width: wide), tap(2, width: narrow)], batchSize: 256,
                                                examples: 500, elementBytes: 4, budgetBytes: 64 * mib))
        XCTAssertEqual(choice.forms, [0: .gram, 1: .gram, 2: .activations])
        XCTAssertEqual(choice.bytes, 2 * 500 * 500 * 4 + 500 * narrow * 4)
    }

    /// Two pairs reading a tap pay its product twice as activations: the break-even width halves.
    func testReadersCountAgainstTheActivationsForm() throws {
        let width = Int(breakEvenWidth * 0.75)
        let one = try XCTUnwrap(model.choose([tap(0, width: width, readers: 1)], batchSize: 256, examples: 1000, elementBytes: 4,
                                             budgetBytes: 64 * mib))
        let two = try XCTUnwrap(model.choose([tap(0, width: width, readers: 2)], batchSize: 256, examples: 1000, elementBytes: 4,
                                             budgetBytes: 64 * mib))
        XCTAssertEqual(one.forms[0], .activations)
        XCTAssertEqual(two.forms[0], .gram)
    }

    /// Many examples: the N×N Grams outgrow the budget, so the wide taps stay as activations, the best saving per
    /// extra byte taking the room there is.
    func testManyExamplesLeaveRoomForTheGramOfFewOrNoTaps() throws {
        let examples = 20_000, elementBytes = 4
        let taps = [tap(0, width: 1280), tap(1, width: 640), tap(2, width: 32)]
        let activations = (1280 + 640 + 32) * examples * elementBytes
        let gram = examples * examples * elementBytes
        // The cheapest Gram in extra bytes is the 1280-wide tap's (it frees the most activations): one byte short of it.
        let widest = 1280 * examples * elementBytes, middle = 640 * examples * elementBytes
        let none = try XCTUnwrap(model.choose(taps, batchSize: 256, examples: examples, elementBytes: elementBytes,
                                              budgetBytes: activations - widest + gram - 1))
        XCTAssertEqual(none.forms, [0: .activations, 1: .activations, 2: .activations])
        XCTAssertEqual(none.bytes, activations)
        // Room for either wide tap's Gram but not both: the 1280-wide one saves the most per extra byte.
        let one = try XCTUnwrap(model.choose(taps, batchSize: 256, examples: examples, elementBytes: elementBytes,
                                             budgetBytes: activations - middle + gram))
        XCTAssertEqual(one.forms, [0: .gram, 1: .activations, 2: .activations])
        XCTAssertEqual(one.bytes, activations - widest + gram)
    }

    /// Other measures, or pairs in the feature form, never take the Gram form; when not even the smallest forms fit,
    /// nothing is cached; a tap whose Gram is smaller than its activations makes a cache possible that activations
    /// alone would not.
    func testDisallowedGramsAndBudgetsTooSmall() throws {
        let feature = try XCTUnwrap(model.choose([tap(0, width: 4096, gram: false)], batchSize: 256, examples: 100, elementBytes: 4,
                                                 budgetBytes: 64 * mib))
        XCTAssertEqual(feature.forms, [0: .activations])
        XCTAssertNil(model.choose([tap(0, width: 1280)], batchSize: 256, examples: 3600, elementBytes: 4, budgetBytes: 1000))
        let small = try XCTUnwrap(model.choose([tap(0, width: 4096)], batchSize: 64, examples: 100, elementBytes: 4,
                                               budgetBytes: 100 * 100 * 4))
        XCTAssertEqual(small.forms, [0: .gram], "the Gram fits where the activations (100 × 4096) would not")
    }

    /// The plan the trainer asks for: the same choice from the mapping, with the Gram form only for linear CKA.
    func testThePlanUsesTheChoice() throws {
        let pairs = [TapPairing(guide: 0, target: 0), TapPairing(guide: 1, target: 1), TapPairing(guide: 2, target: 2)]
        let guideWidths = [1280, 640, 32], targetWidths = [256, 256, 256]
        let plan = try GuideCache.plan(pairs: pairs, guideWidths: guideWidths, targetWidths: targetWidths, measure: .linearCKA,
                                       batchSize: 256, examples: 3600, elementBytes: 4, budgetBytes: 1 << 30).get()
        XCTAssertEqual(plan.taps, [0: .gram, 1: .gram, 2: .activations])
        let rsa = try GuideCache.plan(pairs: pairs, guideWidths: guideWidths, targetWidths: targetWidths, measure: .rsa,
                                      batchSize: 256, examples: 3600, elementBytes: 4, budgetBytes: 1 << 30).get()
        XCTAssertEqual(Set(rsa.taps.values), [.activations])
        guard case .failure(let refusal) = GuideCache.plan(pairs: pairs, guideWidths: guideWidths, targetWidths: targetWidths,
                                                           measure: .linearCKA, batchSize: 256, examples: 3600, elementBytes: 4,
                                                           budgetBytes: 1 << 20) else { return XCTFail("a 1 MiB budget holds nothing") }
        XCTAssertTrue(refusal.description.contains("more than the cache budget of 1.0 MiB"), refusal.description)
    }
}
