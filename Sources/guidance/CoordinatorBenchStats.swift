import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Summary statistics of repeated measurements (same unit as the samples).
struct CoordinatorBenchStats: Codable, Sendable {
    var count: Int
    var median: Double
    var min: Double
    var max: Double
    var mean: Double
    /// 90th and 99th percentiles (nearest rank).
    var p90: Double
    var p99: Double

    /// Statistics of `samples` (at least one).
    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        func rank(_ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let index = Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
            return sorted[index]
        }
        median = sorted.isEmpty ? .nan
            : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        min = sorted.first ?? .nan
        max = sorted.last ?? .nan
        mean = sorted.isEmpty ? .nan : sorted.reduce(0, +) / Double(sorted.count)
        p90 = rank(0.9)
        p99 = rank(0.99)
    }

    /// `median (min–max)` with `digits` decimals.
    func text(_ digits: Int = 0) -> String {
        let f = "%.\(digits)f"
        return String(format: f, median) + " (" + String(format: f, min) + "–" + String(format: f, max) + ")"
    }
}

/// Clocks and memory figures of this process (Linux: /proc and CPU-time clocks).
enum CoordinatorBenchProbe {
    /// CPU seconds consumed by the calling thread.
    static func threadCPUSeconds() -> Double { cpuSeconds(CLOCK_THREAD_CPUTIME_ID) }

    /// CPU seconds consumed by the whole process (every thread).
    static func processCPUSeconds() -> Double { cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func cpuSeconds(_ clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Resident set size now and its peak so far (VmRSS, VmHWM), in MiB; nil where /proc is missing.
    static func residentMiB() -> (now: Double, peak: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            let kib = line.split(separator: " ").compactMap { Double($0) }.first
            return kib.map { $0 / 1024 }
        }
        guard let now = field("VmRSS"), let peak = field("VmHWM") else { return nil }
        return (now, peak)
    }

    /// Load averages (1, 5, 15 minutes) from /proc/loadavg.
    static func loadAverage() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }
}
