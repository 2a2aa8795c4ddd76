import Torch
import XCTest

/// The core decision as a pure function, on processors and libraries this machine is not: the case that motivated
/// it (Debian's OpenBLAS 0.3.21 falling back to Prescott on an Intel model it does not know) cannot happen here.
final class BLASCoreDecisionTests: XCTestCase {
    /// Flags of a Sapphire Rapids Xeon (family 6, model 143) as /proc/cpuinfo lists them (the ones that matter).
    let sapphireRapids: Set<String> = ["pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
                                       "avx512dq", "avx512cd", "avx512_bf16", "avx512_vnni", "amx_tile", "amx_bf16", "amx_int8"]
    let zen3: Set<String> = ["pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma"]
    /// The x86 cores of Debian's OpenBLAS 0.3.21 (its `gotoblas_*` tables in .data).
    let debian0321 = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Bulldozer", "Piledriver",
                      "Steamroller", "Haswell", "Excavator", "Zen", "SkylakeX", "Cooperlake"]

    func decide(setting: String? = nil, user: String? = nil, core: String? = "Prescott", library: [String]? = nil,
                flags: Set<String>? = nil) -> BLASCoreDecision {
        BLASCoreDecision.decide(setting: setting, userCoreType: user, libraryCore: core, libraryName: core == nil ? "MKL" : "OpenBLAS",
                                supportedCores: library ?? debian0321, cpuFlags: flags ?? sapphireRapids)
    }

    func testPrescottFallbackOnAnUnknownIntelModelClimbsToTheBestCoreTheLibraryHas() {
        guard case .use(let core, let reason) = decide() else { return XCTFail("expected a core to be set") }
        XCTAssertEqual(core, "Cooperlake")  // SapphireRapids is not in 0.3.21
        XCTAssertTrue(reason.contains("Prescott") && reason.contains("auto"), reason)
        guard case .use(let newer, _) = decide(library: debian0321 + ["SapphireRapids"]) else { return XCTFail() }
        XCTAssertEqual(newer, "SapphireRapids")
        XCTAssertEqual(decide(setting: "auto"), decide(setting: nil))
        XCTAssertEqual(decide(setting: ""), decide(setting: nil))
    }

    func testOnlyCoresTheProcessorCanRunAreChosen() {
        guard case .use(let core, _) = decide(flags: zen3) else { return XCTFail() }
        XCTAssertEqual(core, "Haswell")
        guard case .use(let sse, _) = decide(flags: ["pni", "ssse3", "sse4_1", "sse4_2"]) else { return XCTFail() }
        XCTAssertEqual(sse, "Nehalem")
        if case .use = decide(flags: ["pni"]) { XCTFail("nothing above Prescott runs on an SSE3-only CPU") }
    }

    func testALibraryChoiceOfTheBestLevelIsKept() {
        // Zen uses Haswell's kernels: equal level, so no change on a Zen 3.
        guard case .keep(let reason) = decide(core: "Zen", flags: zen3) else { return XCTFail() }
        XCTAssertTrue(reason.contains("own choice"), reason)
        guard case .keep = decide(core: "Cooperlake") else { return XCTFail() }
        guard case .keep = decide(core: "cooperlake") else { return XCTFail("names compare case-insensitively") }
        guard case .keep(let unknown) = decide(core: "NeoverseN1") else { return XCTFail() }
        XCTAssertTrue(unknown.contains("NeoverseN1"), unknown)
    }

    func testTheUsersOpenBLASCoreTypeIsAlwaysKept() {
        for user in ["Haswell", "", "Prescott"] {
            guard case .keep(let reason) = decide(user: user) else { return XCTFail("OPENBLAS_CORETYPE=\(user) must be kept") }
            XCTAssertTrue(reason.contains("OPENBLAS_CORETYPE=\(user)"), reason)
            guard case .keep = decide(setting: "SkylakeX", user: user) else { return XCTFail() }
        }
    }

    func testOffAndOtherLibrariesLeaveTheKernelsAlone() {
        guard case .keep(let off) = decide(setting: "off") else { return XCTFail() }
        XCTAssertTrue(off.contains("GUIDANCE_BLAS_CORE=off"), off)
        guard case .keep(let mkl) = decide(core: nil, library: []) else { return XCTFail() }
        XCTAssertTrue(mkl.contains("MKL"), mkl)
    }

    func testANamedCoreIsUsedWhenTheLibraryHasItAndTheCPURunsIt() {
        guard case .use(let core, let reason) = decide(setting: "haswell", core: "Cooperlake") else { return XCTFail() }
        XCTAssertEqual(core, "Haswell")
        XCTAssertEqual(reason, "GUIDANCE_BLAS_CORE=Haswell")
        guard case .keep = decide(setting: "Cooperlake", core: "Cooperlake") else { return XCTFail("already in use: no re-exec") }
    }

    func testBadSettingsAreOneLineErrorsNamingTheVariableAndTheValidValues() {
        let cases: [(BLASCoreDecision, [String])] = [
            (decide(setting: "Fastest"), ["GUIDANCE_BLAS_CORE=Fastest", "auto, off", "Cooperlake"]),
            (decide(setting: "SkylakeX", flags: zen3), ["GUIDANCE_BLAS_CORE=SkylakeX", "avx512f", "Haswell"]),
            (decide(setting: "SapphireRapids"), ["does not have it", "Cooperlake"]),
            (decide(setting: "Haswell", core: nil, library: []), ["needs OpenBLAS", "MKL", "auto or off"]),
        ]
        for (decision, needles) in cases {
            guard case .invalid(let message) = decision else { XCTFail("expected an error, got \(decision)"); continue }
            XCTAssertFalse(message.contains("\n"), message)
            for needle in needles { XCTAssertTrue(message.contains(needle), "\(message) lacks \(needle)") }
            if !message.contains("needs OpenBLAS") {
                XCTAssertFalse(message.contains("SapphireRapids,"), "lists only usable cores: \(message)")
            }
        }
    }
}
