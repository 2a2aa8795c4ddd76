/// Whether a guided job took its frozen guide's side of the similarity terms from a guide cache (issue 13), and
/// how: one field of `JobRecord`. JSON keys in snake_case; absent in records of jobs without a guide's taps.
public struct GuideCacheUse: Codable, Hashable, Sendable {
    /// True when the job's guided steps read the cache instead of running the guide.
    public var used: Bool
    /// Why the cache was bypassed (noise warm-up, a train-mode guide, a budget too small, ...); nil when used.
    public var reason: String?
    /// Guide tap name → "activations" or "gram" (the form each used tap was kept in); empty when bypassed.
    public var taps: [String: String]
    /// Bytes the cache holds.
    public var bytes: Int
    /// Training examples cached.
    public var examples: Int
    /// True when another job on the same worker had built it (a hit in the worker's shared caches).
    public var shared: Bool
    /// Seconds spent building it in this job (0 when shared).
    public var buildSeconds: Double

    public init(used: Bool, reason: String? = nil, taps: [String: String] = [:], bytes: Int = 0, examples: Int = 0,
                shared: Bool = false, buildSeconds: Double = 0) {
        self.used = used
        self.reason = reason
        self.taps = taps
        self.bytes = bytes
        self.examples = examples
        self.shared = shared
        self.buildSeconds = buildSeconds
    }

    /// One line for the worker's log: "hit (built by an earlier job), 198.0 MiB for 3600 examples; taps
    /// layers.0.conv gram, head.pool activations", "miss (built in 2.40 s), …", or "bypassed: why".
    public var summary: String {
        guard used else { return "bypassed: \(reason ?? "no reason given")" }
        let how = shared ? "hit (built by an earlier job)" : String(format: "miss (built in %.2f s)", buildSeconds)
        let forms = taps.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(how), \(GuideCacheStatistics.mebibytes(bytes)) for \(examples) examples; taps \(forms)"
    }

    /// A bypassed cache and why.
    public static func bypassed(_ reason: String) -> GuideCacheUse { GuideCacheUse(used: false, reason: reason) }

    enum CodingKeys: String, CodingKey {
        case used, reason, taps, bytes, examples, shared, buildSeconds = "build_seconds"
    }
}
