import Foundation
import Guidance
import Torch
import XCTest

/// Reference values: Tests/GuidanceTests/Fixtures/cka_reference.json, written by scripts/fixtures/cka_reference.py
/// (NumPy, float64, Kornblith et al.'s formulas); method.md §2 quotes the same numbers to 5 decimals.
final class SimilarityMeasureTests: XCTestCase {
    struct Reference: Decodable {
        let x: [[Double]]
        let y: [[Double]]
        let linear_cka: Double
        let rbf_cka_0_5: Double
        let debiased_cka: Double

        enum CodingKeys: String, CodingKey {
            case x, y, linear_cka, debiased_cka
            case rbf_cka_0_5 = "rbf_cka_0.5"
        }
    }

    var reference: Reference!
    var x: Tensor!
    var y: Tensor!

    override func setUpWithError() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "cka_reference", withExtension: "json", subdirectory: "Fixtures"))
        reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        x = try Tensor(reference.x.flatMap { $0 }, shape: [100, 10])
        y = try Tensor(reference.y.flatMap { $0 }, shape: [100, 10])
    }

    func testReferenceValuesInFloat64() throws {
        XCTAssertEqual(try SimilarityMeasure.linearCKA(x, y, epsilon: 0).item(), reference.linear_cka, accuracy: 1e-10)
        XCTAssertEqual(try SimilarityMeasure.rbfCKA(sigma: 0.5)(x, y, epsilon: 0).item(), reference.rbf_cka_0_5, accuracy: 1e-10)
        XCTAssertEqual(try SimilarityMeasure.debiasedCKA(x, y, epsilon: 0).item(), reference.debiased_cka, accuracy: 1e-10)
        // The paper's quoted values (method.md §2).
        XCTAssertEqual(try SimilarityMeasure.linearCKA(x, y).item(), 0.55761, accuracy: 5e-6)
        XCTAssertEqual(try SimilarityMeasure.rbfCKA(sigma: 0.5)(x, y).item(), 0.65483, accuracy: 5e-6)
        XCTAssertEqual(try SimilarityMeasure.debiasedCKA(x, y).item(), 0.51346, accuracy: 5e-6)
    }

    func testFloat32AgreesWithFloat64() throws {
        let value = try SimilarityMeasure.linearCKA(x.to(.float32), y.to(.float32)).item()
        XCTAssertEqual(value, reference.linear_cka, accuracy: 1e-5)
    }

    /// The Gram form (n×n) and the feature form (p×q) are the same quantity; each shape picks one.
    func testGramAndFeatureFormsAgree() throws {
        let g = Generator(seed: 3)
        let wide = try Tensor.randn([8, 50], dtype: .float64, generator: g)      // p ≫ n: Gram form
        let wide2 = try Tensor.randn([8, 40], dtype: .float64, generator: g)
        let viaGram = try SimilarityMeasure.linearCKA(wide, wide2).item()
        // The feature form, by hand.
        let xc = try wide - wide.mean(dim: 0, keepDim: true), yc = try wide2 - wide2.mean(dim: 0, keepDim: true)
        let a = try xc.transpose(0, 1).matmul(yc).square().sum().item()
        let b = try xc.transpose(0, 1).matmul(xc).square().sum().item()
        let c = try yc.transpose(0, 1).matmul(yc).square().sum().item()
        XCTAssertEqual(viaGram, a / (b * c).squareRoot(), accuracy: 1e-12)
    }

    func testInvariantToOrthogonalTransformAndIsotropicScaling() throws {
        let g = Generator(seed: 7)
        let q = try orthogonal(10, generator: g)
        for measure in [SimilarityMeasure.linearCKA, .debiasedCKA, .rbfCKA(sigma: 0.8), .rsa] {
            let base = try measure(x, y, epsilon: 0).item()
            let rotated = try measure(x.matmul(q), y, epsilon: 0).item()
            let scaled = try measure(x * 3.7, y, epsilon: 0).item()
            XCTAssertEqual(rotated, base, accuracy: 1e-9, "\(measure.name) under rotation")
            XCTAssertEqual(scaled, base, accuracy: 1e-9, "\(measure.name) under scaling")
        }
    }

    func testIdenticalRepresentationsScoreOne() throws {
        for measure in [SimilarityMeasure.linearCKA, .debiasedCKA, .rbfCKA(sigma: 0.8), .rsa] {
            XCTAssertEqual(try measure(x, x, epsilon: 0).item(), 1, accuracy: 1e-9, measure.name)
        }
    }

    /// ∂CKA/∂X = (2/√(bc)) · (Lc·Xc − (a/b)·Kc·Xc) (method.md §2), against autograd.
    func testLinearCKAGradientMatchesClosedForm() throws {
        let xv = try x.clone().requiresGrad(true)
        let cka = try SimilarityMeasure.linearCKA(xv, y, epsilon: 0)
        try cka.backward()
        let autograd = try XCTUnwrap(xv.grad).doubles()

        let xc = try x - x.mean(dim: 0, keepDim: true), yc = try y - y.mean(dim: 0, keepDim: true)
        let kc = try xc.matmul(xc.transpose(0, 1)), lc = try yc.matmul(yc.transpose(0, 1))
        let a = try (kc * lc).sum().item(), b = try (kc * kc).sum().item(), c = try (lc * lc).sum().item()
        let closed = try ((lc.matmul(xc) - (a / b) * kc.matmul(xc)) * (2 / (b * c).squareRoot())).doubles()
        for (u, v) in zip(autograd, closed) { XCTAssertEqual(u, v, accuracy: 1e-12) }
    }

    func testConstantLayerGivesFiniteValueAndZeroGradient() throws {
        let constant = try Tensor.full([16, 5], 2.5, dtype: .float32).requiresGrad(true)
        let other = try Tensor.randn([16, 5], generator: Generator(seed: 1))
        for measure in [SimilarityMeasure.linearCKA, .debiasedCKA, .rbfCKA(sigma: 0.8), .rsa] {
            try constant.zeroGrad()
            let value = try measure(constant, other)
            XCTAssertTrue(try value.isfinite().item() == 1, "\(measure.name) gave \(value)")
            try value.backward()
            let grad = try constant.grad?.doubles() ?? []
            XCTAssertTrue(grad.allSatisfy(\.isFinite), "\(measure.name) gradient not finite")
        }
    }

    func testMismatchedExampleCountsThrow() throws {
        XCTAssertThrowsError(try SimilarityMeasure.linearCKA(Tensor.zeros([4, 3]), Tensor.zeros([5, 3])))
        XCTAssertThrowsError(try SimilarityMeasure.debiasedCKA(Tensor.zeros([3, 3]), Tensor.zeros([3, 3])))
    }

    /// A random orthogonal matrix from the QR-free Gram–Schmidt of a Gaussian matrix.
    private func orthogonal(_ n: Int, generator: Generator) throws -> Tensor {
        let m = try Tensor.randn([n, n], dtype: .float64, generator: generator).doubles()
        var columns: [[Double]] = []
        for j in 0..<n {
            var v = (0..<n).map { m[$0 * n + j] }
            for u in columns {
                let dot = zip(u, v).map(*).reduce(0, +)
                v = zip(v, u).map { $0 - dot * $1 }
            }
            let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            columns.append(v.map { $0 / norm })
        }
        var flat = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0..<n { flat[i * n + j] = columns[j][i] } }
        return try Tensor(flat, shape: [n, n])
    }
}
