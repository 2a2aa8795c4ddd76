import Foundation
import Torch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Environment the engine needs before any library initialises, applied by re-executing this binary once.
///
/// - **Threads.** Debian's libtorch uses libgomp, whose worker threads spin by default and fight OpenBLAS's threads
///   for the cores (a training step 3× slower, see docs/ENGINE.md). libgomp reads `OMP_WAIT_POLICY` when it loads,
///   before `main`, so when it is missing we set it to `passive` and re-execute. A value the user set is kept.
/// - **BLAS kernels.** OpenBLAS picks its kernels ("core") when it loads; on CPU models it does not know it falls
///   back to generic SSE3 ones (2–3× slower). `BLASCoreDecision` decides from what the loaded library reports, what
///   it supports and the CPU's flags, honouring `GUIDANCE_BLAS_CORE=auto|off|NAME` and a user's `OPENBLAS_CORETYPE`;
///   a chosen core is set in `OPENBLAS_CORETYPE` for the re-executed process. There, before anything else, a small
///   GEMM self-check (`BLASSelfCheck`) verifies the chosen kernels; if they compute wrong results the process
///   re-executes once more with the library's own choice and says so on standard error.
///
/// `GUIDANCE_REEXECUTED` marks a process that has been through this (inherited by the workers a sweep starts, which
/// therefore use the same settings); `GUIDANCE_BLAS_CORE_REASON` carries the reason to `guidance version` and records.
public enum ProcessSetup {
    static let guardVariable = "GUIDANCE_REEXECUTED"
    /// The core guidance itself put in `OPENBLAS_CORETYPE`: the re-executed process self-checks it.
    static let chosenVariable = "GUIDANCE_BLAS_CORE_CHOSEN"
    /// Fault injection for tests: makes the self-check report a wrong result.
    static let failSelfCheckVariable = "GUIDANCE_TEST_BLAS_SELF_CHECK_FAIL"

    public static func prepare() {
        if getenv(guardVariable) != nil {
            verifyChosenCore()
        } else {
            decideAndReexecute()
        }
        useAllCores()
    }

    /// libtorch's own default is the number of *physical* cores (1 on a 2-vCPU machine); ours is every core the
    /// process may use, unless the user set `OMP_NUM_THREADS`. Commands with `--threads` override it.
    private static func useAllCores() {
        guard getenv("OMP_NUM_THREADS") == nil else { return }
        Torch.threadCount = ProcessInfo.processInfo.activeProcessorCount
    }

    private static func decideAndReexecute() {
        var reexecute = false
        if getenv("OMP_WAIT_POLICY") == nil {
            setenv("OMP_WAIT_POLICY", "passive", 1)
            reexecute = true
        }
        let blas = BLASLibrary.current
        let environment = ProcessInfo.processInfo.environment
        let decision = BLASCoreDecision.decide(
            setting: environment[BLASCoreDecision.settingVariable], userCoreType: environment[BLASCoreDecision.libraryVariable],
            libraryCore: blas.core, libraryName: blas.name, supportedCores: blas.supportedCores, cpuFlags: HostCPU.current.flags)
        switch decision {
        case .invalid(let message):
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            exit(2)
        case .keep(let reason):
            setenv(BLASLibrary.coreReasonVariable, reason, 1)
        case .use(let core, let reason):
            setenv(BLASCoreDecision.libraryVariable, core, 1)
            setenv(chosenVariable, core, 1)
            setenv(BLASLibrary.coreReasonVariable, reason, 1)
            reexecute = true
        }
        if reexecute { reexecuteSelf() }
    }

    /// In the re-executed process: when guidance chose the core, check its products and fall back if they are wrong.
    private static func verifyChosenCore() {
        guard let chosen = getenv(chosenVariable).map({ String(cString: $0) }),
              getenv(BLASCoreDecision.libraryVariable).map({ String(cString: $0) }) == chosen else { return }
        let outcome = try? BLASSelfCheck.run()
        let injected = getenv(failSelfCheckVariable) != nil
        if let outcome, outcome.passed, !injected { return }
        let detail = injected ? "fault injected by \(failSelfCheckVariable)"
            : outcome.map { String(format: "relative error %.2g > %.0e", $0.maxRelativeError, BLASSelfCheck.tolerance) } ?? "the product failed"
        let reason = "self-check of \(chosen) failed (\(detail)): the library's own choice"
        FileHandle.standardError.write(Data("warning: OpenBLAS core \(chosen) computed wrong matrix products here (\(detail)); using the library's own choice. Set GUIDANCE_BLAS_CORE=off to skip the selection.\n".utf8))
        unsetenv(BLASCoreDecision.libraryVariable)
        unsetenv(chosenVariable)
        setenv(BLASLibrary.coreReasonVariable, reason, 1)
        reexecuteSelf()
    }

    /// Replaces this process with the same binary and arguments; returns only if exec fails (then this process
    /// carries on with the settings it started with).
    private static func reexecuteSelf() {
        setenv(guardVariable, "1", 1)
        let arguments = CommandLine.arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        cArguments.append(nil)
        #if os(Linux)
        execv("/proc/self/exe", &cArguments)
        #endif
        for pointer in cArguments { free(pointer) }
        if getenv(chosenVariable) != nil {
            setenv(BLASLibrary.coreReasonVariable, "could not re-execute: the library's own choice", 1)
        }
    }
}
