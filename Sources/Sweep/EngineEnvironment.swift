/// What decides a machine's training speed: the BLAS library and the kernels it uses, libtorch's intra-op threads
/// and the processor. Carried by every job record (`environment`), by each worker's READY (so `guidance status`
/// shows it) and by every benchmark line, so that a slow machine in a cluster can be told apart from slow code.
///
/// JSON keys are snake_case; every field but `threads` may be absent (records written before it existed have no
/// `environment` at all).
public struct EngineEnvironment: Codable, Hashable, Sendable {
    /// "OpenBLAS", "MKL", "reference BLAS", …
    public var blas: String
    /// The BLAS's version ("0.3.21"; "" when unknown).
    public var blasVersion: String
    /// OpenBLAS's kernel set in use ("Cooperlake"); nil for a BLAS that chooses internally (MKL).
    public var blasCore: String?
    /// Why that core: "auto: OpenBLAS chose Prescott, this CPU runs Cooperlake", "OPENBLAS_CORETYPE=… set by the user", …
    public var blasCoreReason: String?
    /// libtorch's intra-op threads.
    public var threads: Int
    /// The processor, e.g. "Intel(R) Xeon(R) Platinum 8481C (family 6, model 143)".
    public var cpu: String
    /// ATen's own vectorised kernels ("AVX512", "AVX2"); nil when libtorch does not say.
    public var atenCapability: String?

    public init(blas: String, blasVersion: String, blasCore: String? = nil, blasCoreReason: String? = nil, threads: Int,
                cpu: String, atenCapability: String? = nil) {
        self.blas = blas
        self.blasVersion = blasVersion
        self.blasCore = blasCore
        self.blasCoreReason = blasCoreReason
        self.threads = threads
        self.cpu = cpu
        self.atenCapability = atenCapability
    }

    enum CodingKeys: String, CodingKey {
        case blas, blasVersion = "blas_version", blasCore = "blas_core", blasCoreReason = "blas_core_reason", threads, cpu
        case atenCapability = "aten_capability"
    }

    /// One short line: "OpenBLAS 0.3.21 Cooperlake, 2 threads, AMD EPYC (family 25, model 17)".
    public var summary: String {
        var blasText = blasVersion.isEmpty ? blas : "\(blas) \(blasVersion)"
        if let blasCore { blasText += " \(blasCore)" }
        return "\(blasText), \(threads) thread\(threads == 1 ? "" : "s"), \(cpu)"
    }
}
