import Foundation
import NN
import XCTest

final class LearningRateScheduleTests: XCTestCase {
    func testConstantIsTheBaseRate() {
        let schedule = LearningRateSchedule()
        XCTAssertEqual(schedule.rate(at: 0, base: 0.3), 0.3)
        XCTAssertEqual(schedule.rate(at: 10_000, base: 0.3), 0.3)
    }

    func testWarmupRisesLinearlyToTheBase() {
        let schedule = LearningRateSchedule(.constant, warmupSteps: 4)
        XCTAssertEqual([0, 1, 2, 3, 4, 50].map { schedule.rate(at: $0, base: 1) }, [0.25, 0.5, 0.75, 1, 1, 1])
    }

    func testStepDecay() {
        let schedule = LearningRateSchedule(.step(stepSize: 10, gamma: 0.5))
        let rates = [0, 9, 10, 19, 20, 35].map { schedule.rate(at: $0, base: 0.8) }
        XCTAssertEqual(rates, [0.8, 0.8, 0.4, 0.4, 0.2, 0.1])
    }

    func testStepDecayCountsFromTheEndOfWarmup() {
        let schedule = LearningRateSchedule(.step(stepSize: 10, gamma: 0.1), warmupSteps: 5)
        XCTAssertEqual(schedule.rate(at: 14, base: 1), 1)
        XCTAssertEqual(schedule.rate(at: 15, base: 1), 0.1, accuracy: 1e-15)
    }

    func testCosineFromBaseToMinimum() {
        let schedule = LearningRateSchedule(.cosine(totalSteps: 100, minimum: 0.1), warmupSteps: 10)
        // Half-way the cosine is at the midpoint; a quarter of the way (1 + cos π/4)/2 = 0.853553...
        XCTAssertEqual(schedule.rate(at: 10, base: 1.1), 1.1, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(at: 35, base: 1.1), 0.1 + 1.0 * (1 + 0.5.squareRoot()) / 2, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(at: 60, base: 1.1), 0.6, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(at: 110, base: 1.1), 0.1, accuracy: 1e-12)
        XCTAssertEqual(schedule.rate(at: 500, base: 1.1), 0.1, accuracy: 1e-12)
        let rates = (10...110).map { schedule.rate(at: $0, base: 1.1) }
        XCTAssertTrue(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "cosine decay never rises")
    }
}
