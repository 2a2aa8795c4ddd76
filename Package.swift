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

let torchCxxFlags: [String] = {
    if let root = libtorch {
        var flags = ["-I\(root)/include", "-I\(root)/include/torch/csrc/api/include", "-w"]
        if let abi = Context.environment["LIBTORCH_CXX11_ABI"] { flags.append("-D_GLIBCXX_USE_CXX11_ABI=\(abi)") }
        return flags
    }
    return ["-I/usr/include/torch/csrc/api/include", "-w"]
}()

let torchLinkerFlags: [String] = {
    guard let root = libtorch else { return [] }
    var flags = ["-L\(root)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(root)/lib"]
    if withCUDA { flags += ["-Xlinker", "--no-as-needed", "-Xlinker", "-ltorch_cuda", "-Xlinker", "--as-needed"] }
    return flags
}()

// MARK: - strict settings for every Swift target
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Guidance",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "guidance", targets: ["guidance"]),
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
            linkerSettings: [
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"),
                .unsafeFlags(torchLinkerFlags),
            ]
        ),
        .target(name: "Torch", dependencies: ["CTorch"], swiftSettings: swiftSettings),
        .target(name: "NN", dependencies: ["Torch"], swiftSettings: swiftSettings),
        .target(name: "Config", swiftSettings: swiftSettings),
        .target(name: "Models", dependencies: ["NN", "Config"], swiftSettings: swiftSettings),

        // Data: synthetic tasks and file-format datasets (pure Swift; zlib for gzip)
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Tasks", dependencies: ["CZlib", "Config"], swiftSettings: swiftSettings),

        // The science: similarity measures, layer mapping, the trainer with every condition
        .target(name: "Guidance", dependencies: ["Models", "Tasks", "Sweep"], swiftSettings: swiftSettings),

        // Sweep runner core (no libtorch): vocabulary, store, protocol, scheduling state machine
        .target(
            name: "Sweep",
            dependencies: ["Config", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Store", dependencies: ["Config", "Sweep"], swiftSettings: swiftSettings),
        .target(name: "Wire", dependencies: ["Config", "Sweep"], swiftSettings: swiftSettings),
        .target(
            name: "Coordinator",
            dependencies: ["Config", "Wire", "Store", "Sweep", "Transport", "Report", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Worker",
            dependencies: ["Wire", "Transport", "Guidance", "Sweep", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .target(name: "Transport", dependencies: ["CZeroMQ"], swiftSettings: swiftSettings),
        .target(name: "Report", dependencies: ["Config", "Sweep"], swiftSettings: swiftSettings),

        // Command line
        .executableTarget(
            name: "guidance",
            dependencies: [
                "Torch", "NN", "Models", "Config", "Tasks", "Guidance", "Sweep", "Store", "Wire", "Transport",
                "Coordinator", "Worker", "Report",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "FlyingFox", package: "FlyingFox"), .product(name: "FlyingSocks", package: "FlyingFox"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests
        .testTarget(name: "TorchTests", dependencies: ["Torch"], swiftSettings: swiftSettings),
        .testTarget(name: "NNTests", dependencies: ["NN"], swiftSettings: swiftSettings),
        .testTarget(name: "ModelsTests", dependencies: ["Models"], swiftSettings: swiftSettings),
        // Runs the built `guidance` executable (so it needs the product built, which `swift test` does); links
        // Guidance and Sweep to check outputs against in-process values and decode records.
        .testTarget(name: "GuidanceCLITests", dependencies: ["Guidance", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "TasksTests", dependencies: ["Tasks", "CZlib", "Config"], swiftSettings: swiftSettings),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Config"], swiftSettings: swiftSettings),
        .testTarget(name: "StoreTests", dependencies: ["Config", "Store", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "WireTests", dependencies: ["Config", "Wire", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(name: "TransportTests", dependencies: ["Transport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Config", "Report", "Sweep"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CoordinatorTests",
            dependencies: ["Config", "Coordinator", "Store", "Wire", "Sweep", "Transport", .product(name: "Logging", package: "swift-log")],
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
        // Runs the built `guidance` binary (next to the test bundle) as real processes on loopback.
        .testTarget(
            name: "SweepEndToEndTests",
            dependencies: ["guidance", "Sweep", "Wire", "Transport", "Store"],
            swiftSettings: swiftSettings
        ),
        // Reads cluster/k8s (YAML) and checks it against the built `guidance` binary's subcommands and flags.
        .testTarget(
            name: "ClusterTests",
            dependencies: ["guidance", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: cxxStandard
)
