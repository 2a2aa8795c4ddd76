public import Foundation
import Models
import NN
public import Sweep
public import Torch

/// The layer-by-layer similarity of two models on one probe batch of a task: entry (i, j) is the measure between
/// model a's tap i and model b's tap j, each flattened per example, computed in float64.
///
/// Read b as the guide and a as the target: `autoPairs` are the pairs the automatic mapping (method.md §4) would
/// use if b guided a. Untrained models get the initialisation a job with the same seed gives its target (a) and
/// its untrained guide (b), so the matrix shows where that job starts.
public struct SimilarityMatrix: Sendable {
    /// One of the two models.
    public struct Side: Sendable {
        public let spec: ModelSpec
        /// Tap names in forward order (head excluded).
        public let taps: [String]
        /// The checkpoint loaded into it, or nil for an untrained model.
        public let checkpoint: String?
    }

    /// Rows.
    public let a: Side
    /// Columns.
    public let b: Side
    public let measure: SimilarityMeasure
    /// The split the probe examples come from and how many were used (its first `probeExamples`).
    public let probeSplit: String
    public let probeExamples: Int
    /// `values[i][j]`: similarity of a's tap i and b's tap j; [a.taps.count][b.taps.count].
    public let values: [[Double]]
    /// The automatic mapping's pairs with b as the guide (`guide` indexes b's taps, `target` a's).
    public let autoPairs: [TapPairing]

    /// Builds both models for `task` (loading a checkpoint where given, checked like a trained guide's), runs one
    /// probe batch of up to `probe` examples through each in eval mode, and measures every pair of taps.
    /// The probe comes from the validation split, or the test split, or the training split, the first non-empty one.
    public static func compute(task: TaskSpec, a: ModelSpec, b: ModelSpec, aCheckpoint: URL? = nil, bCheckpoint: URL? = nil,
                               measure: SimilarityMeasure = .linearCKA, probe: Int = 256, seed: Int = 0,
                               device: Device = .cpu, epsilon: Double = 1e-8) throws -> SimilarityMatrix {
        guard probe >= 2 else { throw GuidanceError.configuration("probe \(probe): a similarity needs at least 2 examples") }
        let data = try TaskData.load(name: task.name, options: task.options, device: device)
        func build(_ spec: ModelSpec, stream: Seeds.Stream, checkpoint: URL?, role: String) throws -> Model {
            let model = try ModelBuilder.build(family: spec.family, options: spec.options, input: data.modelInput,
                                               output: data.modelOutput, init: ParameterInit(seed: Seeds.derive(seed, stream), device: device))
            if let checkpoint { try GuideCheckpoint.load(into: model, spec: spec, task: task, from: checkpoint, role: role) }
            model.eval()
            return model
        }
        let modelA = try build(a, stream: .target, checkpoint: aCheckpoint, role: "model a")
        let modelB = try build(b, stream: .guide, checkpoint: bCheckpoint, role: "model b")

        let dataset = data.dataset
        guard let split = [dataset.validation, dataset.test, dataset.train].first(where: { !$0.isEmpty }) else {
            throw GuidanceError.configuration("task \(task.name) has no examples to probe with")
        }
        let count = Swift.min(probe, split.count)
        let batch = try data.tensors(split.batch(0..<count))
        let (tapsA, tapsB) = try Torch.withNoGrad {
            (try modelA(batch.model, recordTaps: true).taps!, try modelB(batch.model, recordTaps: true).taps!)
        }
        let rowsA = try tapsA.activations.map { try $0.flatten(start: 1).to(.float64) }
        let rowsB = try tapsB.activations.map { try $0.flatten(start: 1).to(.float64) }
        let values = try Torch.withNoGrad {
            try rowsA.map { x in try rowsB.map { y in try measure(x, y, epsilon: epsilon).item() } }
        }
        return SimilarityMatrix(
            a: Side(spec: a, taps: tapsA.names, checkpoint: aCheckpoint?.path),
            b: Side(spec: b, taps: tapsB.names, checkpoint: bCheckpoint?.path),
            measure: measure, probeSplit: split.name, probeExamples: count, values: values,
            autoPairs: EvenSpacing.pairs(guideTaps: tapsB.names.count, targetTaps: tapsA.names.count))
    }

    /// The similarity of two activation matrices given as row-major values: x is [rows, xColumns], y [rows, yColumns].
    public static func measure(_ measure: SimilarityMeasure, x: [Double], xColumns: Int, y: [Double], yColumns: Int,
                               rows: Int, epsilon: Double = 1e-8) throws -> Double {
        let xt = try Tensor(x, shape: [rows, xColumns]), yt = try Tensor(y, shape: [rows, yColumns])
        return try Torch.withNoGrad { try measure(xt, yt, epsilon: epsilon).item() }
    }
}
