import Foundation
import Torch
import XCTest

/// Random tensors: reproducibility per seed (explicit generator and global seed) and the distributions' ranges.
final class RandomTests: XCTestCase {
    func testSameGeneratorSeedGivesSameValuesAndOtherSeedsDiffer() throws {
        func draw(_ seed: UInt64) throws -> (normal: [Float], uniform: [Double], ints: [Int64], perm: [Int64]) {
            let g = Generator(seed: seed)
            return (try Tensor.randn([64], generator: g).toArray(Float.self),
                    try Tensor.rand([64], dtype: .float64, generator: g).toArray(Double.self),
                    try Tensor.randint(0, 1000, [64], generator: g).toArray(Int64.self),
                    try Tensor.randperm(64, generator: g).toArray(Int64.self))
        }
        let a = try draw(7), b = try draw(7), c = try draw(8)
        XCTAssertEqual(a.normal, b.normal)
        XCTAssertEqual(a.uniform, b.uniform)
        XCTAssertEqual(a.ints, b.ints)
        XCTAssertEqual(a.perm, b.perm)
        XCTAssertNotEqual(a.normal, c.normal)
        XCTAssertNotEqual(a.uniform, c.uniform)
        XCTAssertNotEqual(a.ints, c.ints)
        XCTAssertNotEqual(a.perm, c.perm)
        XCTAssertNotEqual(a.normal, try draw(7).normal.reversed(), "values are not constant")
    }

    func testGeneratorAdvancesBetweenDraws() throws {
        let g = Generator(seed: 1)
        let first = try Tensor.randn([16], generator: g).toArray(Float.self)
        let second = try Tensor.randn([16], generator: g).toArray(Float.self)
        XCTAssertNotEqual(first, second)
    }

    func testInPlaceFillsAreReproducible() throws {
        func fill(_ seed: UInt64) throws -> ([Double], [Double]) {
            let g = Generator(seed: seed)
            let u = try Tensor.zeros([100], dtype: .float64)
            try u.uniform_(-2, 3, generator: g)
            let n = try Tensor.zeros([100], dtype: .float64)
            try n.normal_(mean: 10, std: 0.5, generator: g)
            return (try u.toArray(Double.self), try n.toArray(Double.self))
        }
        let a = try fill(3), b = try fill(3)
        XCTAssertEqual(a.0, b.0)
        XCTAssertEqual(a.1, b.1)
        XCTAssertTrue(a.0.allSatisfy { $0 >= -2 && $0 < 3 })
        XCTAssertEqual(a.1.reduce(0, +) / 100, 10, accuracy: 0.3)
    }

    func testGlobalSeedMakesDrawsWithoutGeneratorReproducible() throws {
        Torch.manualSeed(123)
        let a = try Tensor.randn([32]).toArray(Float.self)
        Torch.manualSeed(123)
        let b = try Tensor.randn([32]).toArray(Float.self)
        Torch.manualSeed(124)
        let c = try Tensor.randn([32]).toArray(Float.self)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testDistributions() throws {
        let g = Generator(seed: 2024)
        let n = 20_000
        let normal = try Tensor.randn([n], dtype: .float64, generator: g).toArray(Double.self)
        let mean = normal.reduce(0, +) / Double(n)
        let variance = normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
        // Standard errors: 1/√n ≈ 0.007 for the mean, √(2/n) ≈ 0.01 for the variance; allow about 5σ.
        XCTAssertEqual(mean, 0, accuracy: 0.04)
        XCTAssertEqual(variance, 1, accuracy: 0.05)

        let uniform = try Tensor.rand([n], dtype: .float64, generator: g).toArray(Double.self)
        XCTAssertTrue(uniform.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(uniform.reduce(0, +) / Double(n), 0.5, accuracy: 0.01)

        let ints = try Tensor.randint(-3, 4, [n], generator: g).toArray(Int64.self)
        XCTAssertEqual(Set(ints), Set(-3...3), "every value of [low, high) appears, and nothing else")

        let perm = try Tensor.randperm(50, generator: g).toArray(Int64.self)
        XCTAssertEqual(perm.sorted(), Array(0..<50))
    }
}
