import NN
import Torch

/// The engine suite: ms per training step (forward, cross-entropy, backward, Adam step) of two fixed models built
/// from NN layers, on fixed random batches. `scripts/bench_torch.py` times the identical models in PyTorch.
///
/// - `mlp`: 784-1024-1024-1024-10 with ReLU, batch 128.
/// - `convnet`: input [64, 3, 32, 32]; conv 3→32, 32→64, 64→64 (3×3, padding 1, ReLU), a 2× max pool after the
///   first two; Linear 64·8·8 → 10.
enum EngineBench {
    /// A model of the suite with its batch.
    struct Case {
        let name: String
        let model: Module
        let forward: (Tensor) throws -> Tensor
        let inputShape: [Int]
        let classes: Int
    }

    final class MLP: Module, @unchecked Sendable {
        let layers: [Linear]
        init(_ widths: [Int], init p: ParameterInit) throws {
            layers = try zip(widths, widths.dropFirst()).map { try Linear($0, $1, init: p) }
            super.init()
        }
        func callAsFunction(_ x: Tensor) throws -> Tensor {
            var h = x
            for (index, layer) in layers.enumerated() {
                h = try layer(h)
                if index < layers.count - 1 { h = try h.relu() }
            }
            return h
        }
    }

    final class ConvNet: Module, @unchecked Sendable {
        let convs: [Conv]
        let head: Linear
        init(init p: ParameterInit) throws {
            convs = try [(3, 32), (32, 64), (64, 64)].map { try Conv(spatialDims: 2, $0.0, $0.1, kernel: 3, padding: 1, init: p) }
            head = try Linear(64 * 8 * 8, 10, init: p)
            super.init()
        }
        func callAsFunction(_ x: Tensor) throws -> Tensor {
            var h = x
            for (index, conv) in convs.enumerated() {
                h = try conv(h).relu()
                if index < 2 { h = try h.maxPool(kernel: [2, 2]) }
            }
            return try head(h.flatten(start: 1))
        }
    }

    static func cases(device: Device = .cpu) throws -> [Case] {
        let p = ParameterInit(seed: 0, device: device)
        let mlp = try MLP([784, 1024, 1024, 1024, 10], init: p)
        let convnet = try ConvNet(init: p)
        return [
            Case(name: "mlp", model: mlp, forward: { try mlp($0) }, inputShape: [128, 784], classes: 10),
            Case(name: "convnet", model: convnet, forward: { try convnet($0) }, inputShape: [64, 3, 32, 32], classes: 10),
        ]
    }

    /// Per-step milliseconds of `steps` timed steps after `warmup` untimed ones. On a GPU each step ends with a
    /// device synchronisation (kernels run asynchronously), as the PyTorch column's does.
    static func time(_ c: Case, steps: Int, warmup: Int, device: Device = .cpu) throws -> [Double] {
        let generator = Generator(seed: 1)
        let x = try Tensor.randn(c.inputShape, generator: generator).to(device)
        let y = try Tensor.randint(0, c.classes, [c.inputShape[0]], generator: generator).to(device)
        let optimizer = Adam(c.model.trainableParameters(), learningRate: 1e-3)
        var samples: [Double] = []
        for step in 0..<(warmup + steps) {
            let ms = try BenchStatistics.milliseconds {
                try optimizer.zeroGrad()
                let loss = try c.forward(x).crossEntropy(y)
                try loss.backward()
                try optimizer.step()
                try Torch.synchronize(device)
            }
            if step >= warmup { samples.append(ms) }
        }
        return samples
    }

    static func run(steps: Int, warmup: Int, threads: Int, device: Device = .cpu) throws -> [BenchRecord] {
        try cases(device: device).map { c in
            BenchRecord(suite: "engine", case: c.name, threads: threads, samplesMs: try time(c, steps: steps, warmup: warmup, device: device),
                        note: device == .cpu ? nil : "device \(device)")
        }
    }
}
