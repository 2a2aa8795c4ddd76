import Foundation
import Sweep
import XCTest

/// The engine environment end to end through the binary: `guidance version` reports the BLAS, the kernels (core)
/// and why, the threads and the CPU; `GUIDANCE_BLAS_CORE` really changes the core of the re-executed process; a
/// wrong setting is a one-line error; job records carry the same fields.
final class EngineEnvironmentTests: XCTestCase {
    /// A clean slate: none of the variables the start-up reads or sets, whatever the shell running the tests has.
    static let clean: [String: String?] = [
        "GUIDANCE_REEXECUTED": nil, "GUIDANCE_BLAS_CORE": nil, "GUIDANCE_BLAS_CORE_REASON": nil, "GUIDANCE_BLAS_CORE_CHOSEN": nil,
        "GUIDANCE_TEST_BLAS_SELF_CHECK_FAIL": nil, "OPENBLAS_CORETYPE": nil, "OMP_NUM_THREADS": nil,
    ]

    func version(_ changes: [String: String?] = [:], file: StaticString = #filePath, line: UInt = #line) throws -> (json: [String: Any], stderr: String) {
        let result = try GuidanceExecutable.run(["version", "--json"], environment: Self.clean.merging(changes) { $1 })
        XCTAssertEqual(result.status, 0, result.standardError, file: file, line: line)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], file: file, line: line)
        return (json, result.standardError)
    }

    func testVersionReportsBLASCoreThreadsAndCPU() throws {
        let (json, _) = try version()
        let blas = try XCTUnwrap(json["blas"] as? String)
        XCTAssertTrue(["OpenBLAS", "MKL"].contains(blas), blas)
        XCTAssertEqual(json["threads"] as? Int, ProcessInfo.processInfo.activeProcessorCount, "default: all cores")
        XCTAssertFalse((json["cpu"] as? String ?? "").isEmpty)
        XCTAssertFalse((json["blas_core_reason"] as? String ?? "").isEmpty)
        if blas == "OpenBLAS" {
            XCTAssertNotNil(json["blas_core"] as? String)
            XCTAssertFalse((json["blas_version"] as? String ?? "").isEmpty)
        }
        let text = try GuidanceExecutable.run(["version"], environment: Self.clean)
        for label in ["blas ", "core ", "threads ", "cpu "] {
            XCTAssertTrue(text.standardOutput.contains("\n\(label)"), "no \(label)line in:\n\(text.standardOutput)")
        }
        let (single, _) = try version(["OMP_NUM_THREADS": "1"])
        XCTAssertEqual(single["threads"] as? Int, 1, "OMP_NUM_THREADS is the user's choice")
    }

    func testANamedCoreIsUsedAfterTheReexecAndAFailedSelfCheckFallsBack() throws {
        let (plain, _) = try version()
        guard plain["blas"] as? String == "OpenBLAS", let ownCore = plain["blas_core"] as? String else {
            let result = try GuidanceExecutable.run(["version"], environment: Self.clean.merging(["GUIDANCE_BLAS_CORE": "Haswell"]) { $1 })
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.standardError.contains("needs OpenBLAS"), result.standardError)
            return
        }
        let target = ownCore == "Haswell" ? "Sandybridge" : "Haswell"
        let (named, _) = try version(["GUIDANCE_BLAS_CORE": target])
        XCTAssertEqual(named["blas_core"] as? String, target, "OpenBLAS in the re-executed process uses the named core")
        XCTAssertEqual(named["blas_core_reason"] as? String, "GUIDANCE_BLAS_CORE=\(target)")

        let (fallback, warning) = try version(["GUIDANCE_BLAS_CORE": target, "GUIDANCE_TEST_BLAS_SELF_CHECK_FAIL": "1"])
        XCTAssertEqual(fallback["blas_core"] as? String, ownCore, "a failed self-check returns to the library's choice")
        XCTAssertTrue((fallback["blas_core_reason"] as? String ?? "").contains("self-check of \(target) failed"))
        XCTAssertEqual(warning.split(separator: "\n").count, 1, warning)
        XCTAssertTrue(warning.contains("GUIDANCE_BLAS_CORE=off"), warning)

        let (user, _) = try version(["OPENBLAS_CORETYPE": target, "GUIDANCE_BLAS_CORE": "auto"])
        XCTAssertEqual(user["blas_core"] as? String, target)
        XCTAssertEqual(user["blas_core_reason"] as? String, "OPENBLAS_CORETYPE=\(target) set by the user")

        let (off, _) = try version(["GUIDANCE_BLAS_CORE": "off"])
        XCTAssertEqual(off["blas_core"] as? String, ownCore)
    }

    func testAnUnknownCoreIsAOneLineErrorNamingTheVariableAndTheValidValues() throws {
        let result = try GuidanceExecutable.run(["version"], environment: Self.clean.merging(["GUIDANCE_BLAS_CORE": "Fastest"]) { $1 })
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.standardOutput, "")
        let lines = result.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("GUIDANCE_BLAS_CORE=Fastest"), result.standardError)
        XCTAssertTrue(result.standardError.contains("auto, off"), result.standardError)
    }

    func testAJobRecordCarriesTheEngineEnvironment() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("guidance-env-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("record.json")
        let result = try GuidanceExecutable.run(["run", "--task", "mnist1d", "--task-opt", "samples=300", "--target", "fcn",
                                                 "--target-opt", "depth=2", "--target-opt", "width=16", "--steps", "2",
                                                 "--batch-size", "16", "--eval-every", "2", "--threads", "1", "--quiet",
                                                 "--out", out.path], environment: Self.clean)
        XCTAssertEqual(result.status, 0, result.standardError)
        let record = try JSONDecoder().decode(JobRecord.self, from: Data(contentsOf: out))
        let environment = try XCTUnwrap(record.environment)
        let (json, _) = try version()
        XCTAssertEqual(environment.threads, 1)
        XCTAssertEqual(environment.blas, json["blas"] as? String)
        XCTAssertEqual(environment.blasCore, json["blas_core"] as? String)
        XCTAssertEqual(environment.cpu, json["cpu"] as? String)
    }

    func testCUDAOnAMachineWithoutItFailsTheJobInsteadOfFallingBackToCPU() throws {
        let (json, _) = try version()
        let gpus = json["cuda_devices"] as? Int ?? 0
        let result = try GuidanceExecutable.run(["run", "--task", "mnist1d", "--task-opt", "samples=300", "--target", "fcn",
                                                 "--steps", "1", "--quiet", "--device", "cuda:\(gpus)"], environment: Self.clean)
        XCTAssertNotEqual(result.status, 0)
        let output = result.standardOutput + result.standardError
        XCTAssertTrue(output.contains("cuda:\(gpus) is not available"), output)
    }
}
