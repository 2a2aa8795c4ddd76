import CTorch

/// Process-wide facts and settings of the engine.
public enum Torch {
    /// libtorch's version, e.g. "1.13.1".
    public static var version: String { String(cString: tt_version()) }

    /// Number of CUDA devices visible to this libtorch (0 for a CPU-only build such as Debian's).
    public static var cudaDeviceCount: Int { Int(tt_cuda_device_count()) }

    /// Every device this process can compute on, CPU first.
    public static var availableDevices: [Device] {
        [.cpu] + (0..<cudaDeviceCount).map { Device.cuda($0) }
    }

    /// Waits until every operation queued on `device` has finished (CUDA runs kernels asynchronously: time a step
    /// only after this). Nothing to wait for on the CPU.
    public static func synchronize(_ device: Device) throws {
        let code = device.code
        try check("synchronize", tt_device_synchronize(code.type, code.index))
    }

    /// Seeds the global generator (used by dropout and by parameter initialisation without an explicit generator).
    public static func manualSeed(_ seed: UInt64) { tt_manual_seed(seed) }

    /// Intra-op threads used by libtorch's CPU kernels. Setting it also sets OpenBLAS's own pool (where the BLAS is
    /// OpenBLAS), which `at::set_num_threads` leaves at one thread per core.
    public static var threadCount: Int {
        get { Int(tt_get_num_threads()) }
        set { tt_set_num_threads(Int32(newValue)) }
    }

    /// Whether operations on this thread record gradients.
    public static var isGradEnabled: Bool { tt_is_grad_enabled() != 0 }

    /// Runs `body` with gradient recording disabled on this thread, restoring the previous setting afterwards
    /// (also when `body` throws). Use it for evaluation and for in-place parameter updates.
    public static func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
        let previous = tt_set_grad_enabled(0)
        defer { _ = tt_set_grad_enabled(previous) }
        return try body()
    }

    /// Runs `body` with gradient recording enabled on this thread (inside a no-grad scope, for example).
    public static func withGrad<R>(_ body: () throws -> R) rethrows -> R {
        let previous = tt_set_grad_enabled(1)
        defer { _ = tt_set_grad_enabled(previous) }
        return try body()
    }
}
