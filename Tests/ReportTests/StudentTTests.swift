import Report
import XCTest

final class StudentTTests: XCTestCase {
    /// Two-sided 95% critical values t_{0.975, ν} from standard t tables (3 decimals).
    func testQuantilesMatchTableValues() {
        let table: [(Double, Double)] = [
            (1, 12.706), (2, 4.303), (3, 3.182), (4, 2.776), (5, 2.571), (9, 2.262),
            (10, 2.228), (20, 2.086), (30, 2.042), (60, 2.000), (120, 1.980),
        ]
        for (nu, expected) in table {
            XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: nu), expected, accuracy: 6e-4, "ν = \(nu)")
        }
    }

    func testOtherLevelsAndSymmetry() {
        XCTAssertEqual(StudentT.quantile(0.95, degreesOfFreedom: 1), 6.314, accuracy: 6e-4)
        XCTAssertEqual(StudentT.quantile(0.95, degreesOfFreedom: 5), 2.015, accuracy: 6e-4)
        XCTAssertEqual(StudentT.quantile(0.995, degreesOfFreedom: 10), 3.169, accuracy: 6e-4)
        XCTAssertEqual(StudentT.quantile(0.9, degreesOfFreedom: 3), 1.638, accuracy: 6e-4)
        XCTAssertEqual(StudentT.quantile(0.025, degreesOfFreedom: 4), -2.776, accuracy: 6e-4)
        XCTAssertEqual(StudentT.quantile(0.5, degreesOfFreedom: 7), 0)
        // Large ν approaches the normal quantile 1.95996.
        XCTAssertEqual(StudentT.quantile(0.975, degreesOfFreedom: 1e6), 1.95996, accuracy: 1e-4)
    }

    func testCDFClosedForms() {
        // ν = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
        for t in [-3.0, -0.5, 0, 0.7, 2, 10] {
            XCTAssertEqual(StudentT.cdf(t, degreesOfFreedom: 1), 0.5 + atan(t) / .pi, accuracy: 1e-10)
        }
        // ν = 2: F(t) = 1/2 + t / (2 √(2 + t²)).
        for t in [-4.0, -1, 0.3, 1.5, 6] {
            XCTAssertEqual(StudentT.cdf(t, degreesOfFreedom: 2), 0.5 + t / (2 * (2 + t * t).squareRoot()), accuracy: 1e-10)
        }
    }

    func testCriticalValueIsTheTwoSidedQuantile() {
        XCTAssertEqual(StudentT.criticalValue(level: 0.95, degreesOfFreedom: 4),
                       StudentT.quantile(0.975, degreesOfFreedom: 4))
    }
}
