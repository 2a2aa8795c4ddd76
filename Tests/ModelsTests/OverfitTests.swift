import Config
import Models
import ModelSchema
import NN
import Torch
import XCTest

/// Every family can memorise a tiny batch of random labels: a check that gradients reach every layer and the
/// forward pass is wired so that it can learn. Seeded and dropout-free, so each run takes the same steps.
final class OverfitTests: XCTestCase {
    /// Trains on one batch of 16 examples with Adam; returns the first loss and the best loss seen, stopping as soon
    /// as the loss has fallen 10×.
    private func memorise(_ family: ModelFamily, _ input: ModelInput, _ output: ModelOutput, learningRate: Double,
                          maxSteps: Int) throws -> (first: Double, best: Double, steps: Int) {
        let model = try TestModels.build(family, input, output, seed: 5)
        let batch = try TestModels.batch(input, 16, seed: 6)
        let labels: Tensor
        switch output {
        case .classes(let k): labels = try Tensor.randint(0, k, [16], generator: Generator(seed: 7))
        case .perToken(let v), .nextToken(let v): labels = try Tensor.randint(0, v, [16 * model.input.batchShape(1)[1]], generator: Generator(seed: 7))
        }
        let optimizer = Adam(model.trainableParameters(), learningRate: learningRate)
        var first = 0.0, best = Double.infinity
        for step in 0..<maxSteps {
            let logits = try model(batch).logits
            let loss = try logits.reshape([-1, logits.size(-1)]).crossEntropy(labels)
            let value = try loss.item()
            if step == 0 { first = value }
            best = Swift.min(best, value)
            if best < first / 10 { return (first, best, step) }
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
        }
        return (first, best, maxSteps)
    }

    private func assertMemorises(_ family: ModelFamily, _ input: ModelInput, _ output: ModelOutput,
                                 learningRate: Double = 1e-2, maxSteps: Int = 300, file: StaticString = #filePath, line: UInt = #line) throws {
        let (first, best, steps) = try memorise(family, input, output, learningRate: learningRate, maxSteps: maxSteps)
        XCTAssertLessThan(best, first / 10, "\(family.rawValue) \(input) \(output): loss \(first) → \(best) in \(steps) steps",
                          file: file, line: line)
    }

    func testFullyConnected() throws {
        try assertMemorises(.fcn, TestModels.image, .classes(5))
        try assertMemorises(.wideFCN, TestModels.signal, .classes(5))
    }

    func testConvolutional() throws {
        try assertMemorises(.cnn, TestModels.image, .classes(5))
        try assertMemorises(.resnet, TestModels.image, .classes(5))
    }

    func testRecurrent() throws {
        try assertMemorises(.rnn, TestModels.image, .classes(5))
        try assertMemorises(.lstm, TestModels.tokens, .nextToken(11), maxSteps: 500)  // 192 labels to memorise
    }

    func testAttentionAndMixing() throws {
        try assertMemorises(.transformer, TestModels.tokens, .classes(5), learningRate: 3e-3)
        try assertMemorises(.mixer, TestModels.image, .classes(5))
    }
}
