public import Sweep
import Torch

extension EngineEnvironment {
    /// This process's BLAS, kernels, intra-op threads and CPU, read now (threads may change between calls).
    public static func current() -> EngineEnvironment {
        let blas = BLASLibrary.current
        let capability = BLASLibrary.atenCapability
        return EngineEnvironment(blas: blas.name, blasVersion: blas.version, blasCore: blas.core, blasCoreReason: BLASLibrary.coreReason,
                                 threads: Torch.threadCount, cpu: HostCPU.current.summary,
                                 atenCapability: capability.isEmpty ? nil : capability)
    }
}
