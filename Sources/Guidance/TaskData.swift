public import Models
public import Tasks
public import Torch

/// One labelled batch on the training device.
public struct LabeledBatch {
    public var model: ModelBatch
    /// int64 [N] class ids, or [N, T] per-position ids with `ignoreIndex` (-100) where unscored.
    public var targets: Tensor
    public var count: Int { targets.size(0) }
}

/// A materialised task seen from the trainer: its kinds as the model families understand them, and batches as
/// tensors on the training device.
public struct TaskData {
    public let dataset: Dataset
    public let metrics: [TaskMetric]
    public let device: Device

    public init(dataset: Dataset, metrics: [TaskMetric], device: Device) {
        self.dataset = dataset
        self.metrics = metrics
        self.device = device
    }

    /// Builds (generates or reads) the task named in `name` with `options`.
    public static func load(name: String, options: [String: TaskOptionValue], device: Device) throws -> TaskData {
        let task = try TaskRegistry.make(name, options: options)
        return TaskData(dataset: try task.makeDataset(), metrics: try task.metrics(), device: device)
    }

    public var modelInput: ModelInput { Self.modelInput(dataset.inputKind) }
    public var modelOutput: ModelOutput { Self.modelOutput(dataset.outputKind) }

    public static func modelInput(_ kind: InputKind) -> ModelInput {
        switch kind {
        case .image(let c, let h, let w): .image(channels: c, height: h, width: w)
        case .signal(let c, let l): .signal(channels: c, length: l)
        case .tokens(let l, let v): .tokens(length: l, vocabulary: v)
        }
    }

    public static func modelOutput(_ kind: OutputKind) -> ModelOutput {
        switch kind {
        case .classLogits(let k): .classes(k)
        case .perTokenLogits(let v): .perToken(v)
        case .nextTokenLogits(let v): .nextToken(v)
        }
    }

    /// A host batch as tensors on `device`: inputs, int64 targets, and the padding mask (bool [N, T], true at
    /// padding) built from the sequence lengths.
    public func tensors(_ batch: HostBatch) throws -> LabeledBatch {
        let inputs: Tensor
        switch batch.inputs {
        case .float32(let values): inputs = try Tensor(values, shape: batch.inputShape, device: device)
        case .int64(let values): inputs = try Tensor(values, shape: batch.inputShape, device: device)
        }
        let targets = try Tensor(batch.targets, shape: batch.targetShape, device: device)
        var mask: Tensor?
        if let lengths = batch.lengths, batch.inputShape.count == 2 {
            let positions = try Tensor.arange(0, Double(batch.inputShape[1]), device: device).unsqueeze(dim: 0)  // [1, T]
            mask = try positions.ge(Tensor(lengths, shape: [lengths.count, 1], device: device))
        }
        return LabeledBatch(model: ModelBatch(inputs: inputs, paddingMask: mask), targets: targets)
    }

    /// Training batches forever: epoch after epoch, each shuffled from `seed`.
    public func trainingBatches(size: Int, seed: UInt64) -> AnyIterator<HostBatch> {
        let batches = indexedTrainingBatches(size: size, seed: seed)
        return AnyIterator { batches.next()?.batch }
    }

    /// `trainingBatches` with the training-split index of each example of each batch (rows of a `GuideCache`).
    public func indexedTrainingBatches(size: Int, seed: UInt64) -> AnyIterator<(batch: HostBatch, indices: [Int])> {
        let split = dataset.train
        var epoch = 0
        var sequence = split.trainingBatches(size: size, seed: seed, epoch: epoch)
        var position = 0
        return AnyIterator {
            if position >= sequence.batchCount {
                guard sequence.batchCount > 0 else { return nil }
                epoch += 1
                sequence = split.trainingBatches(size: size, seed: seed, epoch: epoch)
                position = 0
            }
            defer { position += 1 }
            let start = position * sequence.batchSize
            let indices = Array(sequence.order[start..<Swift.min(start + sequence.batchSize, sequence.order.count)])
            return (sequence.batch(position), indices)
        }
    }
}
