import Foundation
import Models
import Sweep
import Tasks
import Torch

extension Trainer {
    /// Decides whether this job's guided steps read a guide cache, and gets it (from the options' store, building
    /// it there when absent). The guide's inputs must be the training examples themselves, unchanged, and its
    /// activations a function of the example alone: otherwise the cache is bypassed and the record says why.
    /// Returns nil use for jobs that never read guide taps (baseline, distillation).
    func prepareGuideCache() throws -> (GuideCache?, GuideCacheUse?) {
        guard let guide, let alignment, conditionPlan.alignsLayers else { return (nil, nil) }
        guard options.useGuideCache else { return (nil, .bypassed("turned off for this run")) }
        if case .alignOnNoise = conditionPlan.warmup {
            return (nil, .bypassed("noise warm-up: the guide sees noise inputs, not training examples (the steps after the warm-up are unguided)"))
        }
        if spec.guidance.guideMode == .train {
            return (nil, .bypassed("the guide runs in train mode (dropout, batch statistics): its activations change from step to step"))
        }
        if spec.guidance.readout != .flat {
            return (nil, .bypassed("readout \(spec.guidance.readout.rawValue): the cache keeps flattened rows"))
        }
        if !conditionPlan.alignsOnTrainingExamples {
            return (nil, .bypassed("guidance-as-initialisation with no guided steps"))
        }
        let store = options.guideCaches ?? GuideCacheStore()
        let split = data.dataset.train
        let elementBytes = guide.namedParameters().first?.1.dtype.byteSize ?? DType.float32.byteSize
        let plan: GuideCache.Plan
        switch GuideCache.plan(pairs: alignment.pairs, guideWidths: guideWidths, targetWidths: targetWidths,
                               measure: alignment.measure, batchSize: spec.guidance.ckaBatch ?? spec.training.batchSize, examples: split.count,
                               elementBytes: elementBytes, budgetBytes: store.budgetBytes) {
        case .success(let p): plan = p
        case .failure(let refusal):
            let message = "guide cache bypassed, training uncached: \(refusal)"
            if let warn = options.warn { warn(message) } else { FileHandle.standardError.write(Data("warning: \(message)\n".utf8)) }
            return (nil, .bypassed(refusal.description))
        }
        let key = GuideCacheStore.Key(guide: try Self.identity(spec.guide!.family, spec.guide!.options),
                                      guideState: try guideStateIdentity(), task: try taskIdentity(split),
                                      device: device.description, measure: alignment.measure.name, plan: plan)
        let (cache, hit) = try store.cache(for: key) {
            try GuideCache.build(guide: guide, split: split, data: data, plan: plan, batchSize: Swift.max(spec.training.batchSize, 256))
        }
        var taps: [String: String] = [:]
        for (tap, representation) in plan.taps { taps[alignment.guideNames[tap]] = representation.rawValue }
        return (cache, GuideCacheUse(used: true, taps: taps, bytes: cache.plan.bytes, examples: plan.examples, shared: hit,
                                     buildSeconds: hit ? 0 : cache.buildSeconds))
    }

    /// The guide's parameters' origin: an untrained guide's initialisation seed, or the content of its checkpoint
    /// file (read now, so a file replaced on disk between jobs gives a new identity).
    private func guideStateIdentity() throws -> String {
        guard spec.guideState == .trained else { return "untrained seed \(Seeds.derive(spec.seed, .guide))" }
        guard let url = options.guideCheckpoint else { return "trained, no checkpoint" }
        return "checkpoint sha256 \(ContentHash.sha256Hex(try Data(contentsOf: url)))"
    }

    /// The task spec and the content of its training inputs (file tasks read files that may change on disk).
    private func taskIdentity(_ split: Split) throws -> String {
        let content: String
        switch split.inputs {
        case .float32(let values): content = values.withUnsafeBytes { ContentHash.sha256Hex($0) }
        case .int64(let values): content = values.withUnsafeBytes { ContentHash.sha256Hex($0) }
        }
        return try Self.identity(spec.task.name, spec.task.options) + " train \(split.exampleShape) sha256 \(content)"
    }

    private static func identity(_ name: String, _ options: [String: some Encodable]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return name + " " + String(decoding: try encoder.encode(options), as: UTF8.self)
    }
}
