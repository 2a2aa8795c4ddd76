import Foundation
import Torch
import XCTest

/// Summary statistics of a tensor's values, computed in Double.
struct ValueStatistics {
    let count: Int
    let mean: Double
    /// Population variance (divided by count).
    let variance: Double
    let maxAbs: Double

    init(_ tensor: Tensor) throws {
        let values = try tensor.doubles()
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        let m = mean
        variance = values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
        maxAbs = values.map(Swift.abs).max() ?? 0
    }
}

/// Asserts two tensors have the same shape and values within `tolerance` (absolute).
func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Double = 1e-6, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(a.shape, b.shape, "shape \(message)", file: file, line: line)
    guard a.shape == b.shape else { return }
    let difference = try maxAbsDifference(a.doubles(), b.doubles())
    XCTAssertLessThanOrEqual(difference, tolerance, message, file: file, line: line)
}

func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count)")
    return zip(a, b).map { Swift.abs($0 - $1) }.max() ?? 0
}

/// A fresh temporary directory, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nntests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}
