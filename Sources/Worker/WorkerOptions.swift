public import Foundation
public import Sweep
public import Transport

/// Everything a worker process needs to know, built by the command line.
public struct WorkerOptions: Sendable {
    /// The coordinator, e.g. `tcp://127.0.0.1:5555`.
    public var endpoint: String
    /// Stable id, also the ZeroMQ routing id (1–255 bytes).
    public var id: String
    public var host: String
    /// Jobs run at once (one training thread each).
    public var slots: Int
    /// CPU cores this worker may use (reported in READY; the coordinator gives it at most this many jobs at once).
    public var cores: Int
    /// Devices it can train on (`cpu`, `cuda:0`, ...).
    public var devices: [String]
    /// libtorch version (reported in READY and records).
    public var libtorchVersion: String
    /// BLAS, kernels, threads and CPU (reported in READY, shown by `guidance status`).
    public var engine: EngineEnvironment?
    public var config: WorkerConfig
    /// Where fetched guide checkpoints are kept.
    public var cacheDirectory: URL
    /// A trained-guide job whose checkpoint has not arrived this long after FETCH fails (retryable). Default 120 s.
    public var fetchTimeout: Duration
    /// CURVE client settings (`--keys`); nil: plain TCP.
    public var curve: CurveClientSettings?
    /// Give up (exit failed) when the coordinator has not answered at all this long after start; nil: keep trying.
    public var joinTimeout: Duration?
    /// Where task data may be read (`--data-root`); a JOB naming a data path elsewhere is refused. nil: anywhere
    /// (library default for tests of test jobs; the command line always sets roots).
    public var dataRoots: DataRoots?

    /// `cores` nil: as many as `slots` (the library default; the command line reports the machine's cores).
    public init(endpoint: String, id: String, host: String, slots: Int = 1, cores: Int? = nil, devices: [String] = ["cpu"],
                libtorchVersion: String = "", config: WorkerConfig = WorkerConfig(), cacheDirectory: URL,
                fetchTimeout: Duration = .seconds(120), curve: CurveClientSettings? = nil, joinTimeout: Duration? = nil,
                engine: EngineEnvironment? = nil) {
        self.endpoint = endpoint
        self.id = id
        self.host = host
        self.slots = max(slots, 1)
        self.cores = cores ?? max(slots, 1)
        self.devices = devices
        self.libtorchVersion = libtorchVersion
        self.config = config
        self.cacheDirectory = cacheDirectory
        self.fetchTimeout = fetchTimeout
        self.curve = curve
        self.joinTimeout = joinTimeout
        self.engine = engine
    }

    var ref: WorkerRef { WorkerRef(id: id, host: host) }
}
