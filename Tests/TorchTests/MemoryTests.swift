import Foundation
import Torch
import XCTest

/// Handles are freed: many create/compute/drop iterations leave resident memory flat.
final class MemoryTests: XCTestCase {
    /// Allowed growth of VmRSS over a measured loop, after a warm-up of the same loop.
    let tolerance = 20 * 1024 * 1024

    /// Runs `body` `warmUp` times, then `iterations` times, and asserts VmRSS grew by less than `tolerance`.
    func assertFlatMemory(iterations: Int, warmUp: Int, file: StaticString = #filePath, line: UInt = #line,
                          _ body: (Int) throws -> Void) throws {
        guard residentMemoryBytes() != nil else { throw XCTSkip("no /proc/self/status on this platform") }
        for i in 0..<warmUp { try body(i) }
        let before = try XCTUnwrap(residentMemoryBytes())
        for i in 0..<iterations { try body(i) }
        let after = try XCTUnwrap(residentMemoryBytes())
        XCTAssertLessThan(after - before, tolerance, "VmRSS grew from \(before >> 20) MB to \(after >> 20) MB", file: file, line: line)
    }

    func testCreatingComputingAndDroppingTensors() throws {
        // 10,000 × (4 KB input + 4 KB result + a reduction): a leak of either would add ≥ 80 MB.
        try assertFlatMemory(iterations: 10_000, warmUp: 500) { i in
            let x = try Tensor.full([1000], Double(i % 7))
            let y = try (x * 2 + 1).relu()
            XCTAssertEqual(try y.sum().item(), Double(1000 * (2 * (i % 7) + 1)))
        }
    }

    func testArraysInAndOut() throws {
        let values = [Float](repeating: 1.5, count: 1000)
        try assertFlatMemory(iterations: 10_000, warmUp: 500) { _ in
            let t = try Tensor(values, shape: [10, 100])
            XCTAssertEqual(try t.transpose(0, 1).contiguous().toArray(Float.self).count, 1000)
        }
    }

    func testTrainingStepsWithGradients() throws {
        let w = try Tensor.randn([100, 10], generator: Generator(seed: 1)).requiresGrad(true)
        let x = try Tensor.randn([8, 100], generator: Generator(seed: 2))
        try assertFlatMemory(iterations: 10_000, warmUp: 500) { _ in
            let loss = try x.matmul(w).tanh().square().mean()
            try loss.backward()
            try Torch.withNoGrad { try w.add_(XCTUnwrap(w.grad), alpha: -1e-6) }
            try w.zeroGrad()
        }
    }

    func testFailingOperationsReleaseTheirInputs() throws {
        // Each iteration makes a 4 MB tensor and fails on it; leaking it would add 400 MB over 100 iterations.
        // (Few iterations: every libtorch error records a C++ backtrace, which takes milliseconds.)
        try assertFlatMemory(iterations: 100, warmUp: 10) { _ in
            let big = try Tensor.zeros([1_000_000])
            XCTAssertThrowsError(try big.view([3, -1]))
            XCTAssertThrowsError(try big.select(dim: 0, index: 2_000_000))
        }
    }

    func testSafeTensorsRoundTrips() throws {
        let tensors = ["a": try Tensor.zeros([1000]), "b": try Tensor.ones([10, 10], dtype: .int64)]
        try assertFlatMemory(iterations: 2_000, warmUp: 100) { _ in
            let back = try SafeTensors.decode(SafeTensors.encode(tensors, metadata: ["k": "v"]))
            XCTAssertEqual(back.count, 2)
        }
    }
}
