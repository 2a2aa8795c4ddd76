import CTorch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The BLAS behind libtorch's CPU matrix products, as found in this running process.
///
/// libtorch says which BLAS it was built against (`at::show_config()`: `BLAS_INFO=open|mkl|…`). Debian's libtorch
/// calls `libblas.so.3`, which the alternatives system may point at OpenBLAS or the reference BLAS, so the file is
/// looked up among the objects actually mapped into this process (`/proc/self/maps`), and OpenBLAS is asked directly
/// (`openblas_get_corename`, `openblas_get_config`) for the kernels it chose. The PyPI wheel links MKL statically:
/// its version comes from libtorch's configuration text and MKL picks its kernels itself.
public struct BLASLibrary: Hashable, Sendable {
    /// "OpenBLAS", "MKL", "reference BLAS" or what libtorch's configuration names.
    public var name: String
    /// The library's version ("0.3.21", "2024.2"; "" when unknown).
    public var version: String
    /// The shared object it was loaded from (nil when linked statically or not found).
    public var path: String?
    /// OpenBLAS only: the kernel set in use (`Cooperlake`, `Prescott`, …).
    public var core: String?
    /// OpenBLAS only: `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64".
    public var config: String?
    /// OpenBLAS only: the cores of `OpenBLASCore.all` compiled into this library (a DYNAMIC_ARCH build).
    public var supportedCores: [String]

    /// The BLAS of this process, probed once.
    public static let current: BLASLibrary = probe()

    /// OpenBLAS only: its own thread pool's size now (read at each call: `Torch.threadCount` sets it with the
    /// engine's pool, after the probe).
    public var threads: Int? { name == "OpenBLAS" ? OpenBLASHandle.find()?.threads : nil }

    /// ATen's vectorised CPU kernels in use ("AVX512", "AVX2", …; "" when libtorch does not say).
    public static var atenCapability: String { configValue(after: "CPU capability usage:") ?? "" }

    /// libtorch's build configuration text (`at::show_config()`).
    public static var buildConfig: String { String(cString: tt_build_config()) }

    /// A one-line description: "OpenBLAS 0.3.21, core Cooperlake" or "MKL 2024.2".
    public var summary: String {
        var text = version.isEmpty ? name : "\(name) \(version)"
        if let core { text += ", core \(core)" }
        return text
    }

    static func probe() -> BLASLibrary {
        let config = buildConfig
        let info = config.range(of: "BLAS_INFO=").map { range in
            String(config[range.upperBound...].prefix { $0 != "," && $0 != "\n" })
        } ?? ""
        if let openBLAS = OpenBLASHandle.find() {
            let configText = openBLAS.config
            let version = configText.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            return BLASLibrary(name: "OpenBLAS", version: version, path: openBLAS.path, core: openBLAS.coreName, config: configText,
                               supportedCores: openBLAS.supportedCores)
        }
        if info == "mkl" || config.contains("Math Kernel Library") {
            let version = configValue(after: "Math Kernel Library Version")?.split(separator: "-").first.map(String.init) ?? ""
            return BLASLibrary(name: "MKL", version: version, path: nil, core: nil, config: nil, supportedCores: [])
        }
        let loaded = mappedObjects().first { ($0 as NSString).lastPathComponent.hasPrefix("libblas.so") }
        let name = loaded != nil ? "reference BLAS" : (info.isEmpty ? "unknown" : info)
        return BLASLibrary(name: name, version: "", path: loaded, core: nil, config: nil, supportedCores: [])
    }

    /// The rest of the configuration line that contains `marker`, trimmed.
    static func configValue(after marker: String) -> String? {
        let config = buildConfig
        guard let range = config.range(of: marker) else { return nil }
        return String(config[range.upperBound...].prefix { $0 != "\n" }).trimmingCharacters(in: .whitespaces)
    }

    /// Paths of the files mapped into this process (shared objects and the executable), in map order.
    static func mappedObjects() -> [String] {
        guard let maps = procFile("/proc/self/maps") else { return [] }
        var seen = Set<String>(), paths: [String] = []
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            if path.contains(".so"), seen.insert(path).inserted { paths.append(path) }
        }
        return paths
    }
}

/// An OpenBLAS already loaded into this process, reached through `dlopen(RTLD_NOLOAD)` on its mapped file.
struct OpenBLASHandle {
    let path: String
    let handle: UnsafeMutableRawPointer

    private typealias StringFunction = @convention(c) () -> UnsafePointer<CChar>?
    private typealias IntFunction = @convention(c) () -> Int32

    /// The mapped object that exports `openblas_get_corename` (files with "blas" in their name first).
    static func find() -> OpenBLASHandle? {
        let objects = BLASLibrary.mappedObjects()
        let ordered = objects.filter { ($0 as NSString).lastPathComponent.contains("blas") }
            + objects.filter { !($0 as NSString).lastPathComponent.contains("blas") }
        for path in ordered {
            guard let handle = dlopen(path, RTLD_LAZY | RTLD_NOLOAD) else { continue }
            if dlsym(handle, "openblas_get_corename") != nil {
                return OpenBLASHandle(path: URL(fileURLWithPath: path).resolvingSymlinksInPath().path, handle: handle)
            }
            dlclose(handle)
        }
        return nil
    }

    private func string(_ symbol: String) -> String? {
        guard let pointer = dlsym(handle, symbol) else { return nil }
        return unsafeBitCast(pointer, to: StringFunction.self)().map { String(cString: $0) }
    }

    var coreName: String? { string("openblas_get_corename") }
    var config: String { string("openblas_get_config") ?? "OpenBLAS" }

    var threads: Int? {
        guard let pointer = dlsym(handle, "openblas_get_num_threads") else { return nil }
        return Int(unsafeBitCast(pointer, to: IntFunction.self)())
    }

    /// Known cores whose kernel table (`gotoblas_NAME`) is defined in this library's data. A symbol in .bss is a
    /// placeholder of a core left out of the build, so only tables with a non-zero first word count.
    var supportedCores: [String] {
        OpenBLASCore.all.compactMap { core in
            guard let table = dlsym(handle, core.tableSymbol) else { return nil }
            return table.load(as: Int.self) != 0 ? core.name : nil
        }
    }
}

extension BLASLibrary {
    /// Set by `guidance` at start-up to say why the core in use was chosen; inherited by the processes it starts.
    public static let coreReasonVariable = "GUIDANCE_BLAS_CORE_REASON"

    /// Why this process uses its BLAS kernels, as `guidance version` prints it.
    public static var coreReason: String {
        if let reason = ProcessInfo.processInfo.environment[coreReasonVariable], !reason.isEmpty { return reason }
        if let user = ProcessInfo.processInfo.environment[BLASCoreDecision.libraryVariable] {
            return "\(BLASCoreDecision.libraryVariable)=\(user) set in the environment"
        }
        return current.core != nil ? "the library's own choice" : "\(current.name) chooses its own kernels"
    }
}
