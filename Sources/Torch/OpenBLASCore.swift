/// An x86-64 kernel set ("core") of a DYNAMIC_ARCH OpenBLAS, as `OPENBLAS_CORETYPE` names it.
///
/// `level` orders the kernels by the instruction set they use (3 = SSE3 … 8 = AVX-512 with AMX); cores of one
/// level are equally fast for our purposes (Zen uses Haswell's kernels). `requiredFlags` are the `/proc/cpuinfo`
/// flags a processor needs to run them (an instruction the CPU lacks would kill the process with SIGILL).
/// `isLadder` marks the generic Intel line that automatic selection climbs; the others are only chosen by name.
public struct OpenBLASCore: Hashable, Sendable {
    public let name: String
    public let level: Int
    public let requiredFlags: Set<String>
    public let isLadder: Bool

    /// The library's symbol holding this core's kernel table (`gotoblas_HASWELL`): present in a DYNAMIC_ARCH
    /// build exactly when the core is compiled in.
    public var tableSymbol: String { "gotoblas_" + name.uppercased() }

    private static let avx512: Set<String> = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"]

    /// Known cores, lowest level first.
    public static let all: [OpenBLASCore] = [
        OpenBLASCore(name: "Prescott", level: 3, requiredFlags: ["pni"], isLadder: true),
        OpenBLASCore(name: "Core2", level: 4, requiredFlags: ["pni", "ssse3"], isLadder: true),
        OpenBLASCore(name: "Penryn", level: 4, requiredFlags: ["pni", "ssse3", "sse4_1"], isLadder: false),
        OpenBLASCore(name: "Dunnington", level: 4, requiredFlags: ["pni", "ssse3", "sse4_1"], isLadder: false),
        OpenBLASCore(name: "Nehalem", level: 5, requiredFlags: ["pni", "ssse3", "sse4_1", "sse4_2"], isLadder: true),
        OpenBLASCore(name: "Sandybridge", level: 6, requiredFlags: ["sse4_2", "avx"], isLadder: true),
        OpenBLASCore(name: "Bulldozer", level: 6, requiredFlags: ["sse4_2", "avx"], isLadder: false),
        OpenBLASCore(name: "Piledriver", level: 6, requiredFlags: ["sse4_2", "avx", "fma"], isLadder: false),
        OpenBLASCore(name: "Steamroller", level: 6, requiredFlags: ["sse4_2", "avx", "fma"], isLadder: false),
        OpenBLASCore(name: "Haswell", level: 7, requiredFlags: ["avx", "avx2", "fma"], isLadder: true),
        OpenBLASCore(name: "Excavator", level: 7, requiredFlags: ["avx", "avx2", "fma"], isLadder: false),
        OpenBLASCore(name: "Zen", level: 7, requiredFlags: ["avx", "avx2", "fma"], isLadder: false),
        OpenBLASCore(name: "SkylakeX", level: 8, requiredFlags: avx512.union(["avx2", "fma"]), isLadder: true),
        OpenBLASCore(name: "Cooperlake", level: 9, requiredFlags: avx512.union(["avx2", "fma", "avx512_bf16"]), isLadder: true),
        OpenBLASCore(name: "SapphireRapids", level: 10,
                     requiredFlags: avx512.union(["avx2", "fma", "avx512_bf16", "amx_tile", "amx_bf16"]), isLadder: true),
    ]

    /// The known core with this name, compared case-insensitively as OpenBLAS does.
    public static func named(_ name: String) -> OpenBLASCore? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Whether a processor with these flags can run this core's kernels.
    public func runs(on flags: Set<String>) -> Bool { requiredFlags.isSubset(of: flags) }
}
