import Foundation
import Torch
import XCTest

// Small helpers shared by the engine tests: building tensors from Swift arrays, deterministic inputs that do
// not come from libtorch's own generator, and element-wise comparison with a stated tolerance.

/// A float64 tensor holding `values` with `shape` (1-D by default).
func f64(_ values: [Double], _ shape: [Int]? = nil) throws -> Tensor { try Tensor(values, shape: shape) }

/// A float32 tensor holding `values` with `shape` (1-D by default).
func f32(_ values: [Float], _ shape: [Int]? = nil) throws -> Tensor { try Tensor(values, shape: shape) }

/// An int64 tensor holding `values` with `shape` (1-D by default).
func i64(_ values: [Int64], _ shape: [Int]? = nil) throws -> Tensor { try Tensor(values, shape: shape) }

/// SplitMix64: deterministic test inputs that are independent of the engine under test.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [range.lowerBound, range.upperBound).
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        let unit = Double(next() >> 11) / Double(1 << 53)
        return range.lowerBound + unit * (range.upperBound - range.lowerBound)
    }

    mutating func doubles(_ count: Int, in range: ClosedRange<Double> = -1...1) -> [Double] {
        (0..<count).map { _ in uniform(range) }
    }

    /// Values with magnitude in `magnitude` and a random sign: away from the kinks of relu, abs, etc.
    mutating func awayFromZero(_ count: Int, magnitude: ClosedRange<Double> = 0.2...1.5) -> [Double] {
        (0..<count).map { _ in (next() & 1 == 0 ? 1 : -1) * uniform(magnitude) }
    }

    /// `count` distinct values at least `gap` apart (a shuffled ladder plus small jitter): no ties for max/argmax.
    mutating func distinct(_ count: Int, gap: Double = 0.05) -> [Double] {
        var ladder = (0..<count).map { Double($0) * gap - Double(count) * gap / 2 }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            ladder.swapAt(i, j)
        }
        return ladder.map { $0 + uniform(0...(gap / 4)) }
    }
}

/// Asserts `actual` and `expected` have the same count and agree element-wise within
/// `tolerance · max(1, |expected|)`.
func assertClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-6, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("count \(actual.count) != expected \(expected.count) \(message)", file: file, line: line)
        return
    }
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= tolerance * Swift.max(1, Swift.abs(e))) {
        XCTFail("element \(i): \(a) != expected \(e) (tolerance \(tolerance)) \(message)", file: file, line: line)
        return
    }
}

/// `assertClose` for a tensor of any floating dtype.
func assertClose(_ tensor: Tensor, _ expected: [Double], shape: [Int]? = nil, tolerance: Double = 1e-6,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
    if let shape { XCTAssertEqual(tensor.shape, shape, "shape \(message)", file: file, line: line) }
    assertClose(try tensor.doubles(), expected, tolerance: tolerance, message, file: file, line: line)
}

/// Resident memory of this process in bytes (VmRSS from /proc/self/status), nil where unavailable.
func residentMemoryBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
        return kilobytes * 1024
    }
    return nil
}
