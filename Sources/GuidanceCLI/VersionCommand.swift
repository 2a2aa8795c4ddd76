import ArgumentParser
import Foundation
import Guidance
import Sweep
import Torch

/// `guidance version`: package and libtorch versions, the devices this process can train on, and what decides its
/// CPU speed (BLAS library, kernels in use and why, intra-op threads, processor).
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the versions, the devices, the BLAS and its kernels, the engine threads and the CPU."
    )

    @Flag(help: "Print a JSON object instead of text.")
    var json = false

    /// The JSON form (snake_case keys; the engine fields are those of `EngineEnvironment`).
    struct Report: Encodable {
        var guidance: String
        var libtorch: String
        var cudaDevices: Int
        var devices: [String]
        var threads: Int
        var blas: String
        var blasVersion: String
        var blasCore: String?
        var blasCoreReason: String?
        var blasPath: String?
        var blasThreads: Int?
        var atenCapability: String?
        var cpu: String

        enum CodingKeys: String, CodingKey {
            case guidance, libtorch, cudaDevices = "cuda_devices", devices, threads, blas, blasVersion = "blas_version"
            case blasCore = "blas_core", blasCoreReason = "blas_core_reason", blasPath = "blas_path", blasThreads = "blas_threads"
            case atenCapability = "aten_capability", cpu
        }
    }

    static func report() -> Report {
        let engine = EngineEnvironment.current()
        let blas = BLASLibrary.current
        return Report(guidance: PackageVersion.current, libtorch: Torch.version, cudaDevices: Torch.cudaDeviceCount,
                      devices: Torch.availableDevices.map(\.description), threads: engine.threads, blas: engine.blas,
                      blasVersion: engine.blasVersion, blasCore: engine.blasCore, blasCoreReason: engine.blasCoreReason,
                      blasPath: blas.path, blasThreads: blas.threads, atenCapability: engine.atenCapability, cpu: engine.cpu)
    }

    func run() throws {
        let report = Self.report()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        var blasLine = report.blasVersion.isEmpty ? report.blas : "\(report.blas) \(report.blasVersion)"
        if let path = report.blasPath { blasLine += " (\(path))" }
        print("guidance \(report.guidance)")
        print("libtorch \(report.libtorch)")
        print("cuda     \(report.cudaDevices > 0 ? "available (\(report.cudaDevices) device(s))" : "not available")")
        print("devices  \(report.devices.joined(separator: ", "))")
        print("threads  \(report.threads) (intra-op; \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        print("blas     \(blasLine)")
        if let core = report.blasCore { print("core     \(core): \(report.blasCoreReason ?? "")") } else if let reason = report.blasCoreReason {
            print("core     \(reason)")
        }
        if let capability = report.atenCapability { print("aten     \(capability) kernels") }
        print("cpu      \(report.cpu)")
    }
}
