import Foundation
import Guidance
import Sweep

/// One measurement of `guidance-bench`, printed as one JSON line. `scripts/bench_torch.py` prints the same shape for
/// the PyTorch column, so `guidance-bench summary` can put both side by side.
///
/// - `suite`: engine, guidance or data. `case`: what was timed (mlp, convnet, guided, unguided, …).
/// - `impl`: swift (this binary) or pytorch (the Python script).
/// - `medianMs`: median milliseconds per step (or per batch for the data suite) over the timed steps of this run.
/// - `phasesMs`: median milliseconds per step of each profiled phase, when profiled.
/// - `stepMs`: data suite only, see below.
/// - `environment`: BLAS library and version, its kernels (core) and why, intra-op threads, CPU model
///   (`EngineEnvironment`); the PyTorch script writes the same object for its process.
struct BenchRecord: Codable {
    var suite: String
    var `case`: String
    var impl: String
    var threads: Int
    var steps: Int
    var medianMs: Double
    var minMs: Double
    var maxMs: Double
    var phasesMs: [String: Double]?
    /// Data suite: the median step time (ms) of the model this batch feeds, measured in the same process.
    var stepMs: Double?
    var note: String?
    var environment: EngineEnvironment?

    enum CodingKeys: String, CodingKey {
        case suite, `case`, impl, threads, steps, note, environment
        case medianMs = "median_ms", minMs = "min_ms", maxMs = "max_ms", phasesMs = "phases_ms", stepMs = "step_ms"
    }

    init(suite: String, case name: String, threads: Int, samplesMs: [Double], phasesMs: [String: Double]? = nil, note: String? = nil) {
        self.suite = suite
        self.case = name
        impl = "swift"
        self.threads = threads
        steps = samplesMs.count
        medianMs = BenchStatistics.median(samplesMs)
        minMs = samplesMs.min() ?? .nan
        maxMs = samplesMs.max() ?? .nan
        self.phasesMs = phasesMs
        self.note = note
        environment = .current()
    }

    /// One compact JSON line (sorted keys).
    func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Medians and clocks for the benchmarks.
enum BenchStatistics {
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Milliseconds taken by `body`.
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e6
    }
}
