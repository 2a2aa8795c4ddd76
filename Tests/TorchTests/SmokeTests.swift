import Torch
import XCTest

final class SmokeTests: XCTestCase {
    func testMatmulValues() throws {
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let b = try Tensor([5, 6, 7, 8] as [Float], shape: [2, 2])
        XCTAssertEqual(try a.matmul(b).toArray(Float.self), [19, 22, 43, 50])
    }

    func testShapeMismatchThrows() throws {
        let a = try Tensor.zeros([2, 3])
        let b = try Tensor.zeros([4, 5])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            XCTAssertTrue("\(error)".contains("matmul"), "\(error)")
        }
    }
}
