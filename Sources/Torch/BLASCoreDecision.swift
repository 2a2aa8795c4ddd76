/// Which OpenBLAS core this process should use: a pure function of what the library chose, what it supports,
/// what the processor can run and what the user asked for. `ProcessSetup` applies it at the one-time re-exec
/// (OpenBLAS reads `OPENBLAS_CORETYPE` once, when it loads).
///
/// Why: Debian's OpenBLAS 0.3.21 does not know recent Intel models and falls back to its SSE3 `Prescott` kernels
/// on CPUs with AVX-512 (2–3× slower training steps). Rules, first match wins:
/// 1. `GUIDANCE_BLAS_CORE` must be `auto` (or unset/empty), `off`, or a core name; anything else is an error.
/// 2. `OPENBLAS_CORETYPE` set by the user (even empty) is kept as it is.
/// 3. `off`, or a BLAS other than OpenBLAS: nothing changes (a core name with another BLAS is an error).
/// 4. A core name: used when the library has it and the CPU can run it; otherwise an error naming the valid ones.
/// 5. `auto`: when the library's own core is of a lower level than the best ladder core the library has and the CPU
///    runs, that best core; otherwise the library's choice.
public enum BLASCoreDecision: Hashable, Sendable {
    /// Leave the library's core as it is, for this reason.
    case keep(reason: String)
    /// Set `OPENBLAS_CORETYPE` to `core` before the library loads.
    case use(core: String, reason: String)
    /// The setting cannot be honoured: a one-line message naming the variable and the valid values.
    case invalid(message: String)

    public static let settingVariable = "GUIDANCE_BLAS_CORE"
    public static let libraryVariable = "OPENBLAS_CORETYPE"

    /// - Parameters:
    ///   - setting: `GUIDANCE_BLAS_CORE` (nil when unset).
    ///   - userCoreType: `OPENBLAS_CORETYPE` as the user set it (nil when unset).
    ///   - libraryCore: the core OpenBLAS reports (`openblas_get_corename`); nil when the BLAS is not OpenBLAS.
    ///   - libraryName: the BLAS's name, for messages ("MKL", "OpenBLAS").
    ///   - supportedCores: the cores compiled into the library (names as in `OpenBLASCore.all`).
    ///   - cpuFlags: the processor's `/proc/cpuinfo` flags.
    public static func decide(setting: String?, userCoreType: String?, libraryCore: String?, libraryName: String,
                              supportedCores: [String], cpuFlags: Set<String>) -> BLASCoreDecision {
        let requested = (setting ?? "").trimmingCharacters(in: .whitespaces)
        let runnable = OpenBLASCore.all.filter { core in
            supportedCores.contains { $0.lowercased() == core.name.lowercased() } && core.runs(on: cpuFlags)
        }
        let valid = (["auto", "off"] + runnable.map(\.name)).joined(separator: ", ")
        let mode = requested.lowercased()
        let named = OpenBLASCore.named(requested)
        if !(mode.isEmpty || mode == "auto" || mode == "off") && named == nil {
            return .invalid(message: "\(settingVariable)=\(requested) is not a known OpenBLAS core; use one of: \(valid)")
        }
        if let userCoreType {
            return .keep(reason: "\(libraryVariable)=\(userCoreType) set by the user")
        }
        if mode == "off" { return .keep(reason: "\(settingVariable)=off: the library's own choice") }
        guard let libraryCore else {
            if let named {
                return .invalid(message: "\(settingVariable)=\(named.name) needs OpenBLAS, but this libtorch uses \(libraryName); use auto or off")
            }
            return .keep(reason: "\(libraryName) chooses its own kernels")
        }
        if let named {
            guard runnable.contains(named) else {
                let why = supportedCores.contains(where: { $0.lowercased() == named.name.lowercased() })
                    ? "this CPU lacks \(named.requiredFlags.subtracting(cpuFlags).sorted().joined(separator: ", "))"
                    : "this OpenBLAS does not have it"
                return .invalid(message: "\(settingVariable)=\(named.name) cannot be used (\(why)); use one of: \(valid)")
            }
            if named.name.lowercased() == libraryCore.lowercased() {
                return .keep(reason: "\(settingVariable)=\(named.name), also the library's own choice")
            }
            return .use(core: named.name, reason: "\(settingVariable)=\(named.name)")
        }
        guard let chosen = OpenBLASCore.named(libraryCore) else {
            return .keep(reason: "auto: the library's own choice (\(libraryCore) is not a core guidance ranks)")
        }
        guard let best = runnable.filter(\.isLadder).max(by: { $0.level < $1.level }), best.level > chosen.level else {
            return .keep(reason: "auto: the library's own choice")
        }
        return .use(core: best.name, reason: "auto: OpenBLAS chose \(chosen.name), this CPU runs \(best.name)")
    }
}
