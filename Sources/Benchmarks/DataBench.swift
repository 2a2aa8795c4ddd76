import CoordinatorCommands
import Guidance
import Tasks
import Torch

/// The data suite: time to produce one training batch (next shuffled `HostBatch` + `TaskData.tensors`) for each
/// benchmark model, next to that model's step time measured in the same process (`step_ms`), so the summary can
/// state the batch's share of a step.
///
/// - `mlp`, `convnet`: the engine suite's shapes ([128, 784], [64, 3, 32, 32]) from a 4096-example split of random
///   values (the content does not matter to the copy).
/// - `mnist1d`: the real MNIST-1D task at batch 256, against the unguided FCN step (the smallest step, so the
///   largest share) of the guidance suite.
enum DataBench {
    /// Milliseconds per batch over `steps` batches after `warmup`.
    static func time(_ data: TaskData, batchSize: Int, steps: Int, warmup: Int) throws -> [Double] {
        let batches = data.trainingBatches(size: batchSize, seed: 7)
        var samples: [Double] = []
        for index in 0..<(warmup + steps) {
            var keep: LabeledBatch?
            let ms = try BenchStatistics.milliseconds {
                guard let host = batches.next() else { throw CLIError("no batch") }
                keep = try data.tensors(host)
            }
            _ = keep
            if index >= warmup { samples.append(ms) }
        }
        return samples
    }

    /// Random host data of `exampleShape`, `count` examples, 10 classes.
    static func synthetic(_ exampleShape: [Int], count: Int, kind: InputKind) -> TaskData {
        var rng = SeededRandom(seed: 3)
        let size = exampleShape.reduce(1, *)
        let inputs = (0..<(count * size)).map { _ in Float(rng.normal()) }
        let targets = (0..<count).map { _ in Int64(rng.int(below: 10)) }
        let split = Split(name: "train", exampleShape: exampleShape, inputs: .float32(inputs), targets: targets)
        let empty = Split.empty(name: "test", like: split)
        let dataset = Dataset(task: "synthetic", inputKind: kind, outputKind: .classLogits(classes: 10), train: split,
                              validation: empty, test: empty)
        return TaskData(dataset: dataset, metrics: [], device: .cpu)
    }

    static func run(steps: Int, warmup: Int, threads: Int) throws -> [BenchRecord] {
        var records: [BenchRecord] = []
        let engine = try EngineBench.cases()
        let shapes: [String: (example: [Int], kind: InputKind)] = [
            "mlp": ([784], .signal(channels: 1, length: 784)),
            "convnet": ([3, 32, 32], .image(channels: 3, height: 32, width: 32)),
        ]
        for c in engine {
            guard let shape = shapes[c.name] else { continue }
            let data = synthetic(shape.example, count: 4096, kind: shape.kind)
            let batchMs = try time(data, batchSize: c.inputShape[0], steps: steps, warmup: warmup)
            let stepMs = try EngineBench.time(c, steps: Swift.max(steps / 4, 5), warmup: warmup)
            var record = BenchRecord(suite: "data", case: c.name, threads: threads, samplesMs: batchMs)
            record.stepMs = BenchStatistics.median(stepMs)
            records.append(record)
        }
        let mnist = try TaskData.load(name: "mnist1d", options: [:], device: .cpu)
        let batchMs = try time(mnist, batchSize: 256, steps: steps, warmup: warmup)
        let unguided = try GuidanceBench.profile(guided: false, steps: Swift.max(steps / 4, 5), warmup: warmup, batchSize: 256,
                                                 threads: threads)
        var record = BenchRecord(suite: "data", case: "mnist1d", threads: threads, samplesMs: batchMs)
        record.stepMs = GuidanceBench.record("unguided", unguided, threads: threads).medianMs
        records.append(record)
        return records
    }
}
