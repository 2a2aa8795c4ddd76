import Report
import XCTest

final class SpearmanTests: XCTestCase {
    func testMonotoneRelationsGiveOneAndMinusOne() throws {
        let x = [1.0, 2, 3, 4, 5]
        XCTAssertEqual(try XCTUnwrap(Spearman.rho(x, x.map { exp($0) })), 1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(Spearman.rho(x, x.map { -$0 * $0 })), -1, accuracy: 1e-12)
    }

    func testTiesGetAverageRanks() throws {
        XCTAssertEqual(Spearman.ranks([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
        XCTAssertEqual(Spearman.ranks([3, 1, 2]), [3, 1, 2])
        // y ranks [1, 2, 3.5, 5, 3.5] against x ranks 1…5: Σdxdy = 8, Σdx² = 10, Σdy² = 9.5 → ρ = 8/√95.
        let rho = try XCTUnwrap(Spearman.rho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]))
        XCTAssertEqual(rho, 8 / 95.0.squareRoot(), accuracy: 1e-12)
    }

    func testUndefinedCases() {
        XCTAssertNil(Spearman.rho([1, 2], [3, 4]))
        XCTAssertNil(Spearman.rho([1, 2, 3], [7, 7, 7]))
    }
}
