import CoordinatorCommands
import Foundation

/// Medians across runs of the JSON lines written by `guidance-bench` and `scripts/bench_torch.py`, the ratios the
/// goals are stated in, and each goal's status.
///
/// Each run contributes one median per (suite, case, impl); the summary reports the median of those run medians and
/// their range (min–max across runs), so one noisy run on a shared machine moves the range, not the figure.
struct BenchSummary {
    struct Key: Hashable, Comparable {
        let suite: String, name: String, impl: String
        static func < (a: Key, b: Key) -> Bool { (a.suite, a.name, a.impl) < (b.suite, b.name, b.impl) }
    }

    struct Entry {
        var medians: [Double] = []
        var minima: [Double] = []
        var stepMs: [Double] = []
        var phases: [String: [Double]] = [:]
        var threads: Set<Int> = []

        var median: Double { BenchStatistics.median(medians) }
        var range: (Double, Double) { (medians.min() ?? .nan, medians.max() ?? .nan) }
        /// Median over runs of each run's fastest step: the least disturbed figure on a shared machine.
        var minimum: Double { BenchStatistics.median(minima) }
    }

    private(set) var entries: [Key: Entry] = [:]
    /// Each impl's engine environments as the lines said them (BLAS, core, threads, CPU).
    private(set) var environments: [String: Set<String>] = [:]

    init(files: [String]) throws {
        let decoder = JSONDecoder()
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n").enumerated() where line.hasPrefix("{") {
                let record: BenchRecord
                do { record = try decoder.decode(BenchRecord.self, from: Data(line.utf8)) } catch {
                    throw CLIError("\(file):\(number + 1): not a bench record (\(error)); expected one JSON object per line as `guidance-bench` prints")
                }
                let key = Key(suite: record.suite, name: record.case, impl: record.impl)
                entries[key, default: Entry()].medians.append(record.medianMs)
                entries[key]!.minima.append(record.minMs)
                entries[key]!.threads.insert(record.threads)
                if let environment = record.environment {
                    let core = environment.blasCoreReason.map { " (\($0))" } ?? ""
                    environments[record.impl, default: []].insert(environment.summary + core)
                }
                if let step = record.stepMs { entries[key]!.stepMs.append(step) }
                for (phase, ms) in record.phasesMs ?? [:] { entries[key]!.phases[phase, default: []].append(ms) }
            }
        }
    }

    func median(_ suite: String, _ name: String, _ impl: String) -> Double? {
        entries[Key(suite: suite, name: name, impl: impl)].map(\.median)
    }

    /// A goal line: "label: value (goal op limit) met|NOT met", or a note when a figure is missing. `byMinima`, the
    /// same ratio of the medians of run minima (the least disturbed figure on a shared machine), and `perRun`, the
    /// median of the ratios taken within each repeat (each repeat's two figures share its machine state, which a
    /// host that runs whole runs fast or slow leaves in the medians), follow in brackets.
    func goal(_ label: String, _ value: Double?, atMost limit: Double, format: String = "%.2f×", byMinima: Double? = nil,
              perRun: Double? = nil) -> String {
        guard let value, value.isFinite else { return "\(label): not measured" }
        let status = value <= limit ? "met" : "NOT met"
        return "\(figures(label, value, format: format, byMinima: byMinima, perRun: perRun)) (goal ≤ \(String(format: format, limit))) \(status)"
    }

    /// "label: value [by minima …; per-run median …]", the figures of a goal line (or of a ratio that is no goal).
    func figures(_ label: String, _ value: Double, format: String = "%.2f×", byMinima: Double? = nil, perRun: Double? = nil) -> String {
        let others = [byMinima.map { "by minima \(String(format: format, $0))" }, perRun.map { "per-run median \(String(format: format, $0))" }]
            .compactMap { $0 }
        let brackets = others.isEmpty ? "" : " [\(others.joined(separator: "; "))]"
        return "\(label): \(String(format: format, value))\(brackets)"
    }

    /// The median over repeats of a / b, the k-th run median of `a` against the k-th of `b` (the lines of one repeat
    /// are written together, in the same order every repeat); nil unless both have the same number of runs.
    func perRunRatio(_ a: Key, _ b: Key) -> Double? {
        guard let x = entries[a]?.medians, let y = entries[b]?.medians, x.count == y.count, !x.isEmpty else { return nil }
        return BenchStatistics.median(zip(x, y).map { $0 / $1 })
    }

    func text() -> String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        var lines: [String] = environments.keys.sorted().flatMap { impl in
            environments[impl]!.sorted().map { "engine of \(impl): \($0)" }
        }
        if !lines.isEmpty { lines.append("") }
        lines += ["suite       case                          impl        runs threads  median ms  (range of run medians)  median of run minima"]
        for key in entries.keys.sorted() {
            let e = entries[key]!
            let (lo, hi) = e.range
            lines.append(pad(key.suite, 11) + " " + pad(key.name, 29) + " " + pad(key.impl, 11)
                         + String(format: " %4d ", e.medians.count) + pad(e.threads.sorted().map(String.init).joined(separator: ","), 7)
                         + String(format: "  %9.3f  (%.3f–%.3f)  %9.3f", e.median, lo, hi, e.minimum))
        }
        for key in entries.keys.sorted() where !entries[key]!.phases.isEmpty {
            let e = entries[key]!
            let total = e.phases.values.map { BenchStatistics.median($0) }.reduce(0, +)
            lines.append("\nprofile \(key.suite)/\(key.name)/\(key.impl): median ms per step of each phase (median over runs), share of their sum")
            for (phase, values) in e.phases.sorted(by: { BenchStatistics.median($0.value) > BenchStatistics.median($1.value) }) {
                let m = BenchStatistics.median(values)
                lines.append("  " + pad(phase, 16) + String(format: " %8.3f  %5.1f%%", m, 100 * m / total))
            }
        }
        var goals: [String] = []
        let suites = Set(entries.keys.map(\.suite))
        if suites.contains("engine") {
            for name in ["mlp", "convnet"] {
                let ratio = median("engine", name, "swift").flatMap { s in median("engine", name, "pytorch").map { s / $0 } }
                goals.append(goal("engine \(name): ours / PyTorch", ratio, atMost: 1.0))
            }
        }
        if suites.contains("guidance") {
            let guided = median("guidance", "guided", "swift")
            let guidedMinimum = entries[Key(suite: "guidance", name: "guided", impl: "swift")]?.minimum
            func ratio(_ name: String, _ impl: String) -> Double? { guided.flatMap { g in median("guidance", name, impl).map { g / $0 } } }
            func minimaRatio(_ name: String, _ impl: String) -> Double? {
                guidedMinimum.flatMap { g in entries[Key(suite: "guidance", name: name, impl: impl)].map { g / $0.minimum } }
            }
            func perRun(_ name: String, _ impl: String) -> Double? {
                perRunRatio(Key(suite: "guidance", name: "guided", impl: "swift"), Key(suite: "guidance", name: name, impl: impl))
            }
            func guidedGoal(_ label: String, _ name: String, _ impl: String, atMost limit: Double) {
                goals.append(goal(label, ratio(name, impl), atMost: limit, byMinima: minimaRatio(name, impl), perRun: perRun(name, impl)))
            }
            guidedGoal("guided / our unguided", "unguided", "swift", atMost: 1.5)
            guidedGoal("guided / PyTorch reference algorithm", "reference", "pytorch", atMost: 0.6)
            guidedGoal("guided / PyTorch two-pass algorithm with cheap CKA", "reference-cheap-cka", "pytorch", atMost: 0.6)
            guidedGoal("guided / PyTorch single-pass algorithm", "single-pass", "pytorch", atMost: 0.5)
            if let fused = ratio("single-pass-fused-adam", "pytorch") {
                // Not a goal: PyTorch's default Adam on the CPU is one op per update term; ours is one pass.
                goals.append(figures("(extra) guided / PyTorch single-pass with Adam(fused=True)", fused,
                                     byMinima: minimaRatio("single-pass-fused-adam", "pytorch"),
                                     perRun: perRun("single-pass-fused-adam", "pytorch")))
            }
            guidedGoal("guided (cached) / guided-uncached", "guided-uncached", "swift", atMost: 1.0)
            if let baseline = median("guidance", "guided", "swift-baseline"), let guided {
                goals.append(String(format: "guided step, baseline build → this build: %.2f → %.2f ms (%.2f×)", baseline, guided, guided / baseline))
            }
        }
        for key in entries.keys.sorted() where key.suite == "data" {
            let e = entries[key]!
            let fraction = e.stepMs.isEmpty ? nil : e.median / BenchStatistics.median(e.stepMs)
            goals.append(goal("data \(key.name) (\(key.impl)): batch / step", fraction.map { $0 * 100 }, atMost: 5, format: "%.2f%%"))
        }
        if !goals.isEmpty { lines.append("\ngoals (medians; single runs on a shared machine move by ±30%)") }
        lines += goals.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}
