#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Environment the engine needs before any library initialises.
///
/// Debian's libtorch uses libgomp, whose worker threads spin by default and fight OpenBLAS's threads for the
/// cores (a training step 3× slower, see docs/ENGINE.md). libgomp reads `OMP_WAIT_POLICY` in a constructor that
/// runs when the library loads, before `main`, so setting it from inside the process is too late: when it is
/// missing we set it and re-execute this same binary once with the same arguments. A value the user set is kept.
enum ProcessSetup {
    static let guardVariable = "GUIDANCE_REEXECUTED"

    static func prepare() {
        guard getenv("OMP_WAIT_POLICY") == nil, getenv(guardVariable) == nil else { return }
        setenv("OMP_WAIT_POLICY", "passive", 1)
        setenv(guardVariable, "1", 1)
        let arguments = CommandLine.arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        cArguments.append(nil)
        #if os(Linux)
        execv("/proc/self/exe", &cArguments)
        #endif
        // exec failed (or not Linux): carry on with the slower setting rather than stop.
        for pointer in cArguments { free(pointer) }
    }
}
