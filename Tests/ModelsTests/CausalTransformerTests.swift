import Config
import Models
import Torch
import XCTest

/// `causal: true` on a Transformer: a position's outputs and taps depend on the tokens up to it only; the default
/// (bidirectional) reads the whole sequence, and leaves a per-token Transformer as it was.
final class CausalTransformerTests: XCTestCase {
    /// Logits and every tap at positions before `k`, for a batch and a copy whose tokens from position k on differ.
    private func prefixDifference(causal: Bool?, k: Int = 6) throws -> (logits: Double, taps: Double, later: Double) {
        let model = try TestModels.build(.transformer, TestModels.tokens, .perToken(11),
                                         options: causal.map { ["causal": .bool($0)] } ?? [:])
        model.eval()
        let batch = try TestModels.batch(TestModels.tokens, 4)
        let ids = try batch.inputs.doubles().map { Int64($0) }
        let length = 12
        let changed = ids.enumerated().map { index, id in index % length >= k ? (id + 1) % 11 : id }
        let other = ModelBatch(inputs: try Tensor(changed, shape: [4, length]))
        let (a, tapsA) = try model(batch, recordTaps: true)
        let (b, tapsB) = try model(other, recordTaps: true)
        func before(_ t: Tensor) throws -> Tensor { try t.slice(dim: 1, start: 0, end: k) }
        var taps = 0.0
        for (x, y) in zip(tapsA!.activations, tapsB!.activations) {
            taps = max(taps, try TestModels.maxAbsDifference(before(x), before(y)))
        }
        let later = try TestModels.maxAbsDifference(a.slice(dim: 1, start: k), b.slice(dim: 1, start: k))
        return (try TestModels.maxAbsDifference(before(a), before(b)), taps, later)
    }

    func testCausalPositionsIgnoreLaterTokens() throws {
        let causal = try prefixDifference(causal: true)
        XCTAssertLessThan(causal.logits, 1e-6)
        XCTAssertLessThan(causal.taps, 1e-6)
        XCTAssertGreaterThan(causal.later, 1e-4, "later positions do see their own tokens")
        let bidirectional = try prefixDifference(causal: false)
        XCTAssertGreaterThan(bidirectional.logits, 1e-4)
        XCTAssertGreaterThan(bidirectional.taps, 1e-4)
    }

    /// `causal: false` written is the model built without the option (the default keeps today's model).
    func testTheDefaultIsTheBidirectionalModel() throws {
        let batch = try TestModels.batch(TestModels.tokens, 3)
        let plain = try TestModels.build(.transformer, TestModels.tokens, .perToken(11))
        let written = try TestModels.build(.transformer, TestModels.tokens, .perToken(11), options: ["causal": .bool(false)])
        plain.eval()
        written.eval()
        XCTAssertEqual(try TestModels.maxAbsDifference(plain(batch).logits, written(batch).logits), 0)
    }
}
