import Guidance
import XCTest

/// method.md §4: the reference's examples.
final class EvenSpacingTests: XCTestCase {
    func testDeepFCNFromResNet18() {
        let pairs = EvenSpacing.pairs(guideTaps: 21, targetTaps: 48)
        XCTAssertEqual(pairs.count, 21)
        XCTAssertEqual(Array(pairs.prefix(4)), [.init(guide: 0, target: 0), .init(guide: 1, target: 2),
                                                 .init(guide: 2, target: 5), .init(guide: 3, target: 7)])
        XCTAssertEqual(pairs.last, .init(guide: 20, target: 47))
    }

    func testWideFCNFromResNet18KeepsTheLastGuideTapPerTarget() {
        XCTAssertEqual(EvenSpacing.pairs(guideTaps: 21, targetTaps: 3),
                       [.init(guide: 5, target: 0), .init(guide: 14, target: 1), .init(guide: 20, target: 2)])
    }

    func testSingleGuideTapAndEqualCounts() {
        XCTAssertEqual(EvenSpacing.pairs(guideTaps: 1, targetTaps: 5), [.init(guide: 0, target: 0)])
        XCTAssertEqual(EvenSpacing.pairs(guideTaps: 4, targetTaps: 4), (0..<4).map { .init(guide: $0, target: $0) })
        XCTAssertEqual(EvenSpacing.pairs(guideTaps: 0, targetTaps: 4), [])
    }
}
