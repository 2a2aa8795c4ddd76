// swift-tools-version:6.0
// Guidance: guided-learning sweeps over a libtorch engine. See docs/ARCHITECTURE.md for the
// targets and their allowed dependency directions.
import Foundation
import PackageDescription

// MARK: - libtorch location
// Default: Debian's `libtorch-dev` (headers under /usr/include, libraries on the default path).
// `LIBTORCH=/path/to/libtorch` (for example `.../site-packages/torch` from the PyPI wheel, which
// carries CUDA) points the build at another libtorch: its include/ and lib/ are used and an rpath
// is recorded so the binary finds the libraries at run time.
let libtorch = Context.environment["LIBTORCH"].flatMap { $0.isEmpty ? nil : $0 }
/// torch >= 2.10 headers need C++20; Debian's 1.13 builds with C++17. Override with LIBTORCH_CXX=17|20.
let cxxStandard: CXXLanguageStandard = {
    switch Context.environment["LIBTORCH_CXX"] {
    case "17": return .cxx17
    case "20": return .cxx20
    default: return libtorch == nil ? .cxx17 : .cxx20
    }
}()
/// Link libtorch_cuda even though nothing references it by name, so its kernels register.
/// LIBTORCH_CUDA=0|1 overrides the detection (lib/libtorch_cuda.so present).
let withCUDA: Bool = {
    guard let root = libtorch else { return false }
    switch Context.environment["LIBTORCH_CUDA"] {
    case "0": return false
    case "1": return true
    default: return FileManager.default.fileExists(atPath: "\(root)/lib/libtorch_cuda.so")
    }
}()

/// -fno-math-errno: the shim never reads errno, and without it a loop that takes a square root (the one-pass Adam
/// step) cannot be vectorised (each sqrt keeps a scalar call for errno).
let torchCxxFlags: [String] = {
    if let root = libtorch {
        var flags = ["-I\(root)/include", "-I\(root)/include/torch/csrc/api/include", "-w", "-fno-math-errno"]
        if let abi = Context.environment["LIBTORCH_CXX11_ABI"] { flags.append("-D_GLIBCXX_USE_CXX11_ABI=\(abi)") }
        return flags
    }
    return ["-I/usr/include/torch/csrc/api/include", "-w", "-fno-math-errno"]
}()

// MARK: - headers and libraries from one libtorch
// The libraries are linked by full path: with `-ltorch`, a system directory that another package puts earlier on the
// link line (libzmq's pkg-config adds /usr/lib/x86_64-linux-gnu) lets Debian's libtorch win over the chosen folder,
// and the wheel's headers then meet 1.13's libraries (hundreds of undefined references). Checked here, before any
// compiler runs: the folder has headers and libraries, and their versions agree.
let torchLibraries = ["torch", "torch_cpu", "c10"]

/// "2.15" from a libtorch header folder (the version header moved in torch 2.9), nil when absent.
func headerVersion(_ include: String) -> String? {
    for header in ["torch/headeronly/version.h", "torch/csrc/api/include/torch/version.h"] {
        guard let text = try? String(contentsOfFile: "\(include)/\(header)", encoding: .utf8) else { continue }
        func number(_ name: String) -> String? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("#define \(name) ") }) else { return nil }
            return line.split(separator: " ").last.map(String.init)
        }
        if let major = number("TORCH_VERSION_MAJOR"), let minor = number("TORCH_VERSION_MINOR") { return "\(major).\(minor)" }
    }
    return nil
}

/// "2.15" from the libraries: the wheel's `version.py` beside lib/, or the soname suffix (`libtorch.so.1.13`).
func libraryVersion(_ root: String?, _ libDirectory: String) -> String? {
    if let root, let text = try? String(contentsOfFile: "\(root)/version.py", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("__version__") }),
       let quoted = line.split(separator: "'").dropFirst().first ?? line.split(separator: "\"").dropFirst().first {
        return quoted.split(separator: ".").prefix(2).joined(separator: ".")
    }
    let link = "\(libDirectory)/libtorch.so"
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link), let range = target.range(of: ".so.") {
        return target[range.upperBound...].split(separator: ".").prefix(2).joined(separator: ".")
    }
    return nil
}

/// Stops the build with one line that says what is wrong and how to fix it (a manifest cannot throw).
func stop(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

func checkLibtorch() {
    guard let root = libtorch else {
        let debianLib = "/usr/lib/x86_64-linux-gnu"
        if let headers = headerVersion("/usr/include"), let libraries = libraryVersion(nil, debianLib), headers != libraries {
            stop("libtorch headers in /usr/include are \(headers) but \(debianLib)/libtorch.so is \(libraries): reinstall libtorch-dev, or set LIBTORCH=/path/to/libtorch")
        }
        return
    }
    let fix = "point LIBTORCH at a libtorch folder with include/ and lib/ (for the PyPI wheel: python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')"
    guard let headers = headerVersion("\(root)/include") else {
        stop("LIBTORCH=\(root) has no libtorch headers (include/torch/.../version.h): \(fix)")
    }
    let missing = torchLibraries.map { "lib/lib\($0).so" }.filter { !FileManager.default.fileExists(atPath: "\(root)/\($0)") }
    guard missing.isEmpty else {
        stop("LIBTORCH=\(root) lacks \(missing.joined(separator: ", ")): \(fix)")
    }
    if let libraries = libraryVersion(root, "\(root)/lib"), libraries != headers {
        stop("LIBTORCH=\(root): headers are libtorch \(headers) but the libraries are \(libraries); use one libtorch's include/ and lib/")
    }
}
checkLibtorch()

let torchLinkerFlags: [String] = {
    guard let root = libtorch else { return [] }
    // `-Xlinker PATH`: only the linker sees the file (a bare path would reach compile steps as an input).
    var flags = torchLibraries.flatMap { ["-Xlinker", "\(root)/lib/lib\($0).so"] } + ["-Xlinker", "-rpath", "-Xlinker", "\(root)/lib"]
    if withCUDA { flags += ["-Xlinker", "--no-as-needed", "-Xlinker", "\(root)/lib/libtorch_cuda.so", "-Xlinker", "--as-needed"] }
    return flags
}()

/// Debian's libtorch by name from the default library path; a LIBTORCH folder's by full path (torchLinkerFlags).
let torchLinkedLibraries: [LinkerSetting] = libtorch == nil ? torchLibraries.map { .linkedLibrary($0) } : []

// MARK: - strict settings for every Swift target
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Guidance",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "guidance", targets: ["GuidanceCLI"]),
        // The coordinator side alone (coordinator, plan, status, matrix, report, keys, tasks): links no libtorch.
        .executable(name: "guidance-coordinator", targets: ["GuidanceCoordinatorCLI"]),
        // The speed benchmarks behind BENCHMARKS.md (scripts/bench, scripts/bench-coordinator).
        .executable(name: "guidance-bench", targets: ["Benchmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The live report page (`--http`): a small HTTP server on Swift concurrency with no further dependencies.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // Engine: libtorch behind a C shim, a Swift tensor API, layers, model families
        .target(
            name: "CTorch",
            cxxSettings: [.unsafeFlags(torchCxxFlags)],
            linkerSettings: torchLinkedLibraries + [.unsafeFlags(torchLinkerFlags)]
        ),
        .target(name: "Torch", dependencies: ["CTorch"], swiftSettings: swiftSettings),
        .target(name: "NN", dependencies: ["Torch"], swiftSettings: swiftSettings),
        .target(name: "Config", swiftSettings: swiftSettings),
        // Model families' fields and defaults (torch-free: the plan normalises options with it)
        .target(name: "ModelSchema", dependencies: ["Config"], swiftSettings: swiftSettings),
        .target(name: "Models", dependencies: ["NN", "Config", "ModelSchema"], swiftSettings: swiftSettings),

        // Data: synthetic tasks and file-format datasets (pure Swift; zlib for gzip)
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Tasks", dependencies: ["CZlib", "Config"], swiftSettings: swiftSettings),

        // The science: similarity measures, layer mapping, the trainer with every condition
        .target(name: "Guidance", dependencies: ["Models", "Tasks", "Sweep"], swiftSettings: swiftSettings),

        // Sweep runner core (no libtorch): vocabulary, store, protocol, scheduling state machine
        .target(
            name: "Sweep",
            dependencies: [
                "Config", "ModelSchema", "Tasks",
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "Store", dependencies: ["Config", "Sweep"], swiftSettings: swiftSettings),
        .target(name: "Wire", dependencies: ["Sweep"], swiftSettings: swiftSettings),
        .target(
            name: "Coordinator",
            dependencies: ["Wire", "Store", "Sweep", "Transport", "Report", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Worker",
            dependencies: ["Wire", "Transport", "Guidance", "Tasks", "Sweep", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .target(name: "Transport", dependencies: ["CZeroMQ"], swiftSettings: swiftSettings),
        .target(name: "Report", dependencies: ["Config", "Sweep", "Store"], swiftSettings: swiftSettings),

        // Command line. The commands that need no libtorch (coordinator side) and the options they share with the
        // others, used by both executables.
        .target(
            name: "CoordinatorCommands",
            dependencies: [
                "Config", "ModelSchema", "Tasks", "Sweep", "Store", "Wire", "Transport", "Coordinator", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "FlyingFox", package: "FlyingFox"), .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GuidanceCoordinatorCLI",
            dependencies: ["CoordinatorCommands", "Sweep", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        // What an engine process sets up before libtorch and OpenBLAS start (threads, BLAS kernels), for the executables
        // that run the engine.
        .target(name: "EngineProcess", dependencies: ["Torch"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "GuidanceCLI",
            dependencies: [
                "CoordinatorCommands", "EngineProcess", "Torch", "NN", "Models", "ModelSchema", "Config", "Tasks", "Guidance",
                "Sweep", "Store", "Wire", "Coordinator", "Worker", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "CoordinatorCommands", "EngineProcess", "Torch", "NN", "Config", "Tasks", "Guidance", "Sweep", "Wire", "Transport",
                "Coordinator", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests
        .testTarget(name: "TorchTests", dependencies: ["Torch"], swiftSettings: swiftSettings),
        .testTarget(name: "NNTests", dependencies: ["NN"], swiftSettings: swiftSettings),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "ModelSchema"], swiftSettings: swiftSettings),
        // Runs the built `guidance` executable (so it needs the product built, which `swift test` does); links
        // Guidance and Sweep to check outputs against in-process values and decode records.
        .testTarget(name: "GuidanceCLITests", dependencies: ["Guidance", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "CZlib"], swiftSettings: swiftSettings),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        // Golden/: the ids the shipped manifests plan to and the identity defaults (read through #filePath).
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Config", "ModelSchema"], exclude: ["Golden"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Config", "Store", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "WireTests", dependencies: ["Wire", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "TransportTests", dependencies: ["Transport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Config", "Report", "Sweep", "Store"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CoordinatorTests",
            dependencies: ["Coordinator", "Store", "Wire", "Sweep", "Transport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WorkerTests",
            dependencies: ["Worker", "Wire", "Sweep", "Transport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Coordinator and workers in one process under injected store failures (disk full mid-sweep).
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["Coordinator", "Worker", "Store", "Sweep", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Runs the built `guidance` and `guidance-coordinator` binaries (next to the test bundle) as real processes on
        // loopback.
        .testTarget(
            name: "SweepEndToEndTests",
            dependencies: ["GuidanceCLI", "GuidanceCoordinatorCLI", "Sweep", "Wire", "Transport", "Store"],
            swiftSettings: swiftSettings
        ),
        // Reads cluster/k8s (YAML) and checks it against the built `guidance` binary's subcommands and flags.
        .testTarget(
            name: "ClusterTests",
            dependencies: ["GuidanceCLI", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: cxxStandard
)
