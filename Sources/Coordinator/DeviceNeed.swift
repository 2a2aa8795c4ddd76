/// What kind of worker a job needs, from its `training.device`. Every worker has a CPU, so a CPU job may run
/// anywhere; a CUDA job (`cuda`, `cuda:N`) only on a worker that reported a CUDA device in READY (`cuda:0`, ...).
/// The device index a job names is not matched: a worker runs CUDA jobs on the device it was started with.
enum DeviceNeed: Hashable, Sendable {
    /// Any worker (CPU jobs).
    case any
    /// A worker with a CUDA device.
    case cuda

    /// The need of a job whose `training.device` is `device` (case-insensitive; anything not CUDA is `any`).
    init(jobDevice device: String) {
        self = Self.isCUDA(device) ? .cuda : .any
    }

    /// Whether a device name (`cuda`, `cuda:1`) is a CUDA device.
    static func isCUDA(_ device: String) -> Bool {
        let lower = device.lowercased()
        return lower == "cuda" || lower.hasPrefix("cuda:")
    }
}

extension WorkerInfo {
    /// Whether the worker reported a CUDA device, so that it may run CUDA jobs.
    public var hasCUDA: Bool { devices.contains(where: DeviceNeed.isCUDA) }

    /// Whether the worker may run a job whose `training.device` is `device`.
    public func canRun(device: String) -> Bool {
        DeviceNeed(jobDevice: device) == .any || hasCUDA
    }
}
