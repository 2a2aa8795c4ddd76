import Torch
import XCTest

final class BLASProbeTests: XCTestCase {
    func testCPUInfoParsesTheFirstProcessor() {
        let text = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 207
            model name\t: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz
            flags\t\t: fpu pni avx2 fma avx512f avx512_bf16

            processor\t: 1
            vendor_id\t: GenuineIntel
            model name\t: other
            """
        let cpu = HostCPU(cpuinfo: text)
        XCTAssertEqual(cpu.vendor, "GenuineIntel")
        XCTAssertEqual(cpu.family, 6)
        XCTAssertEqual(cpu.model, 207)
        XCTAssertEqual(cpu.modelName, "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz")
        XCTAssertEqual(cpu.flags, ["fpu", "pni", "avx2", "fma", "avx512f", "avx512_bf16"])
        XCTAssertEqual(cpu.summary, "INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz (family 6, model 207)")
    }

    /// The engine's thread count governs OpenBLAS's pool too: a worker asked for one thread must not run its matrix
    /// products on every core (two such workers on two cores would oversubscribe them).
    func testThreadCountSetsOpenBLASsPool() throws {
        guard BLASLibrary.current.threads != nil else { throw XCTSkip("the loaded BLAS is not OpenBLAS") }
        let before = Torch.threadCount
        defer { Torch.threadCount = before }
        Torch.threadCount = 1
        XCTAssertEqual(BLASLibrary.current.threads, 1)
        XCTAssertEqual(Torch.threadCount, 1)
        Torch.threadCount = 2
        XCTAssertEqual(BLASLibrary.current.threads, 2)
    }

    /// Whatever BLAS this libtorch uses, the probe names it consistently with libtorch's own configuration text;
    /// for OpenBLAS the reported core is one the library has and this CPU runs.
    func testTheLoadedBLASIsFoundAndDescribed() throws {
        let blas = BLASLibrary.current
        let config = BLASLibrary.buildConfig
        XCTAssertTrue(config.contains("BLAS_INFO="), config)
        switch blas.name {
        case "OpenBLAS":
            let core = try XCTUnwrap(blas.core)
            XCTAssertTrue(blas.supportedCores.contains(core), "\(core) not in \(blas.supportedCores)")
            XCTAssertTrue(blas.config?.hasPrefix("OpenBLAS \(blas.version)") ?? false, blas.config ?? "nil")
            let path = try XCTUnwrap(blas.path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
            if let known = OpenBLASCore.named(core) { XCTAssertTrue(known.runs(on: HostCPU.current.flags)) }
        case "MKL":
            XCTAssertTrue(config.contains("Math Kernel Library"), config)
            XCTAssertFalse(blas.version.isEmpty)
            XCTAssertNil(blas.core)
        default:
            XCTFail("unexpected BLAS \(blas.name); configuration: \(config)")
        }
    }

    func testSelfCheckPassesWithTheKernelsInUseAndItsComparisonCatchesAWrongProduct() throws {
        let outcome = try BLASSelfCheck.run()
        XCTAssertTrue(outcome.passed, "relative error \(outcome.maxRelativeError)")
        // The reference itself, on a product worked by hand: [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50].
        XCTAssertEqual(BLASSelfCheck.multiply([1, 2, 3, 4], [5, 6, 7, 8], m: 2, k: 2, n: 2), [19, 22, 43, 50])
        let reference: [Double] = [19, 22, 43, 50]
        XCTAssertLessThanOrEqual(BLASSelfCheck.relativeError([19, 22, 43, 50], reference), BLASSelfCheck.tolerance)
        XCTAssertGreaterThan(BLASSelfCheck.relativeError([19, 22, 43, 51], reference), BLASSelfCheck.tolerance)
        XCTAssertEqual(BLASSelfCheck.relativeError([19, 22, .nan, 50], reference), .infinity)
        XCTAssertEqual(BLASSelfCheck.relativeError([19, 22, 43], reference), .infinity)
    }
}
