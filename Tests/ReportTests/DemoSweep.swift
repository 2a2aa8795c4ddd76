import Foundation
import Report
import Sweep

/// A realistic sweep written to a results directory: a manifest, and one synthetic record per planned job
/// (deterministic values with curves, predictions, one diverged and one failed run). Used to exercise the
/// loading path, the commands and the renderers end to end; its numbers are not checked by hand.
enum DemoSweep {
    static let manifestYAML = """
    name: demo-guidability
    seeds: 3
    tasks:
      - {name: mnist1d, train: 4000}
    models:
      deep-fcn: {family: fcn, depth: 8, width: 256}
      wide-fcn: {family: fcn, depth: 2, width: 2048}
      rnn: {family: rnn, layers: 2}
      cnn: {family: cnn, depth: 4, channels: 32}
      resnet: {family: resnet, depth: 8}
    targets: [deep-fcn, wide-fcn, rnn]
    guides: [cnn, resnet]
    conditions: [baseline, guided, guided-init, distill]
    guide_states: [untrained, trained]
    training: {steps: 1000, eval_every: 100, record_predictions: true}

    """

    static func plan() throws -> Plan { Plan(try Manifest.decode(yaml: manifestYAML, file: "demo.yaml")) }

    /// A deterministic value in [−1, 1) from a string.
    static func noise(_ key: String) -> Double {
        var h: UInt64 = 1469598103934665603
        for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 1099511628211 }
        h = (h ^ (h >> 30)) &* 0xbf58476d1ce4e5b9  // splitmix64 finalizer: decorrelates similar keys
        h = (h ^ (h >> 27)) &* 0x94d049bb133111eb
        h ^= h >> 31
        return Double(h % 20000) / 10000 - 1
    }

    static func base(_ model: String) -> Double {
        ["deep-fcn": 0.42, "wide-fcn": 0.61, "rnn": 0.70, "cnn": 0.86, "resnet": 0.90][model] ?? 0.5
    }

    static func effect(_ spec: JobSpec) -> Double {
        guard let guide = spec.guide?.displayName else { return 0 }
        let target = spec.target.displayName
        var e = (base(guide) - base(target)) * (spec.guideState == .trained ? 0.35 : 0.2)
        if target == "deep-fcn", spec.guideState == .untrained { e += 0.08 }
        if spec.condition == .guidedInit { e *= 0.6 }
        if spec.condition == .distill { e = spec.guideState == .trained ? e * 1.1 : -0.03 }
        return e
    }

    static func record(_ job: PlannedJob) -> JobRecord {
        let spec = job.spec
        let key = "\(spec.summary)"
        let accuracy = min(0.99, base(spec.target.displayName) + effect(spec) + 0.02 * noise(key))
        var status = JobStatus.ok
        if spec.target.displayName == "deep-fcn", spec.guide?.displayName == "resnet", spec.condition == .guided,
           spec.guideState == .untrained, spec.seed == 1 { status = .diverged(step: 412, lastFiniteLoss: 2.31) }
        if spec.target.displayName == "rnn", spec.condition == .guidedInit, spec.guideState == .trained,
           spec.guide?.displayName == "cnn", spec.seed == 2 {
            status = .failed(error: "worker node3 lost (lease expired 3 times)", retryable: false)
        }
        var curves: [CurvePoint] = []
        let lastStep = status == .ok ? 1000 : 400
        for step in stride(from: 0, through: lastStep, by: 100) {
            let f = 1 - exp(-Double(step) / 250)
            curves.append(CurvePoint(step: step, trainLoss: 2.3 - 1.8 * f * accuracy + 0.03 * noise(key + "\(step)"),
                                     valLoss: 2.3 - 1.6 * f * accuracy, valMetric: 0.1 + (accuracy - 0.1) * f))
        }
        var metrics: [String: Double] = [:]
        var predictions: [Int]?
        if status == .ok {
            metrics = ["test_accuracy": accuracy, "test_loss": 2.3 * (1 - accuracy) + 0.1, "val_accuracy": accuracy - 0.01,
                       "train_loss": 2.2 * (1 - accuracy)]
            if spec.condition.usesGuide { metrics["guidance_loss"] = 0.3 + 0.1 * noise(key + "g") }
            predictions = (0..<200).map { item in
                let truth = item % 10
                let model = spec.guide?.displayName ?? spec.target.displayName
                return noise("\(model)\(item)\(spec.seed)") > 2 * accuracy - 1 ? (truth + 1) % 10 : truth
            }
        }
        let host = ["node1", "node2", "node3"][abs(Int(noise(key + "h") * 1000)) % 3]
        let start = 1_800_000_000 + Double(spec.seed) * 600 + 300 * (noise(key + "t") + 1)
        return JobRecord(
            id: job.id, spec: spec, status: status, metrics: metrics, curves: curves, wallSeconds: 95,
            stepsPerSecond: 10.5, worker: WorkerRef(id: "\(host)-w0", host: host),
            versions: Versions(package: "0.1.0", libtorch: "1.13.1", protocol: 1), device: "cpu",
            startedAt: Timestamp(secondsSince1970: start), finishedAt: Timestamp(secondsSince1970: start + 95),
            predictions: predictions)
    }

    /// Writes manifest.yaml and results.jsonl (every job, or the first `limit`) into `dir`.
    static func write(into dir: URL, limit: Int? = nil) throws {
        try manifestYAML.write(to: dir.appendingPathComponent("manifest.yaml"), atomically: true, encoding: .utf8)
        let jobs = try plan().jobs
        var lines = ""
        let encoder = JSONCoding.makeEncoder()
        for job in jobs.prefix(limit ?? jobs.count) {
            lines += String(decoding: try encoder.encode(record(job)), as: UTF8.self) + "\n"
        }
        try lines.write(to: dir.appendingPathComponent("results.jsonl"), atomically: true, encoding: .utf8)
    }
}
