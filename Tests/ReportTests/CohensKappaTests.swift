import Report
import XCTest

final class CohensKappaTests: XCTestCase {
    func testErrorConsistencyByHand() throws {
        // 10 items: A right on 8, B right on 6; both right 5, both wrong 1 → c_obs = 0.6.
        // c_exp = 0.8·0.6 + 0.2·0.4 = 0.56 → κ = 0.04 / 0.44.
        let a = [true, true, true, true, true, true, true, true, false, false]
        let b = [true, true, true, true, true, false, false, false, true, false]
        XCTAssertEqual(try XCTUnwrap(CohensKappa.errorConsistency(a, b)), 0.04 / 0.44, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(CohensKappa.errorConsistency(a, a)), 1, accuracy: 1e-12)
        XCTAssertNil(CohensKappa.errorConsistency([true, true], [true, true]))  // c_exp = 1
        XCTAssertNil(CohensKappa.errorConsistency([true], [true, false]))
    }

    func testPredictionAgreementByHand() throws {
        // Predictions over 3 classes, 6 items; agree on 4 → p_o = 4/6.
        // A frequencies (0: 2, 1: 2, 2: 2)/6, B (0: 3, 1: 2, 2: 1)/6 → p_e = (6 + 4 + 2)/36 = 1/3.
        let a = [0, 0, 1, 1, 2, 2]
        let b = [0, 0, 1, 1, 0, 2]
        // a/b differ on item 4 only → p_o = 5/6; recompute: p_e = (2·3 + 2·2 + 2·1)/36 = 12/36.
        XCTAssertEqual(try XCTUnwrap(CohensKappa.predictionAgreement(a, b)), (5.0 / 6 - 1.0 / 3) / (1 - 1.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(CohensKappa.predictionAgreement(a, a.map { ($0 + 1) % 3 })), (0 - 1.0 / 3) / (1 - 1.0 / 3), accuracy: 1e-12)
    }
}
