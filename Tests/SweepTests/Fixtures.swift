import Foundation
import Sweep

/// A spec with every optional field set and every default changed, for round-trip and id tests.
func fullySetSpec() -> JobSpec {
    JobSpec(
        task: TaskSpec(name: "copy-paste", options: ["min_len": 20, "max_len": 40, "path": "a/b \"c\"", "mix": [1, 2.5, nil, true]]),
        target: ModelSpec(family: "rnn", options: ["layers": 4, "hidden": 128, "nested": ["x": 1]], label: "rnn4"),
        guide: ModelSpec(family: "transformer", options: ["layers": 2, "heads": 4], label: "tf"),
        condition: .noiseWarmup, guideState: .trained, seed: 7,
        training: TrainingConfig(
            steps: 1234, batchSize: 64,
            optimizer: OptimizerConfig(name: .adamw, lr: 3e-4, weightDecay: 0.05, momentum: 0.8, beta1: 0.85, beta2: 0.98),
            schedule: ScheduleConfig(name: .step, warmupSteps: 10, stepSize: 100, gamma: 0.5),
            clipNorm: 0.25, evalEvery: 50, evalBatches: 3, device: "cuda:1", threads: 2, recordPredictions: true),
        guidance: GuidanceConfig(
            alpha: 0.5, similarity: .rbfCKA, rbfSigma: 0.6,
            mapping: .explicit([LayerPair(guide: .index(0), target: .name("rnn.0")), LayerPair(guide: .name("x"), target: .index(3))]),
            guideMode: .train, initSteps: 150, noiseSteps: 77, noiseMode: .both, temperature: 2, epsilon: 1e-6),
        kind: .test(SimulatedJobOptions(sleepMs: 5, failTimes: 1, failPermanent: true, diverge: true)))
}

/// The manifest from the project brief.
let briefManifest = """
name: demo
seeds: [0, 1, 2]
tasks:
  - {name: mnist1d, train: 4000}
models:
  deep-fcn: {family: fcn, depth: 8, width: 256}
  cnn:      {family: cnn, depth: 4, channels: 32}
targets: [deep-fcn]
guides: [cnn]
conditions: [baseline, guided, guided-init]
guide_states: [untrained, trained]
training: {steps: 2000, batch_size: 256, optimizer: {name: adam, lr: [1e-3, 3e-4]}}
guidance: {alpha: [0.5, 1.0], similarity: linear-cka}
"""

/// Decodes or fails the test with the error text.
func decodeManifest(_ yaml: String, validators: [any SpecValidator] = []) throws -> Manifest {
    try Manifest.decode(yaml: yaml, file: "test.yaml", validators: validators)
}

/// The issues of a manifest that must not decode (empty when it unexpectedly decodes).
func issues(_ yaml: String, validators: [any SpecValidator] = []) -> [ManifestIssue] {
    do {
        _ = try Manifest.decode(yaml: yaml, file: "test.yaml", validators: validators)
        return []
    } catch let error as ManifestError {
        return error.issues
    } catch {
        return [ManifestIssue(file: "?", line: nil, column: nil, path: "", message: "unexpected error \(error)")]
    }
}
