import Foundation

/// The subcommands and flags of a built product of this package (`guidance`, `guidance-coordinator`), read from its
/// `--help` output.
enum GuidanceHelp {
    /// The products a container may run.
    static let products = ["guidance", "guidance-coordinator"]

    /// `.build/debug/PRODUCT` (next to the test bundle, or under the package root).
    static func binary(_ product: String) -> URL {
        var candidates = [Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        candidates.append(K8sDocument.packageRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent(product)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { return url }
        }
        return K8sDocument.packageRoot.appendingPathComponent(".build/debug/\(product)")
    }

    /// Runs `PRODUCT ARGS`; returns the exit status and standard output + error.
    static func run(_ arguments: [String], product: String = "guidance") throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary(product)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_WAIT_POLICY"] = "passive"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The subcommand names listed under SUBCOMMANDS in `PRODUCT --help`.
    static func subcommands(product: String = "guidance") throws -> Set<String> {
        let help = try run(["--help"], product: product).output
        guard let section = help.range(of: "SUBCOMMANDS:") else { throw CheckError("no SUBCOMMANDS in \(product) --help") }
        var names = Set<String>()
        for line in help[section.upperBound...].split(separator: "\n") {
            // Entries are indented by two spaces; wrapped descriptions by more.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { continue }
            names.insert(String(word))
        }
        return names
    }

    /// The `--long` options of `PRODUCT SUBCOMMAND --help`.
    static func flags(of subcommand: String, product: String = "guidance") throws -> Set<String> {
        let help = try run([subcommand, "--help"], product: product).output
        var flags = Set<String>()
        var rest = Substring(help)
        while let range = rest.range(of: "--") {
            let tail = rest[range.upperBound...]
            let name = tail.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if !name.isEmpty { flags.insert("--" + name) }
            rest = tail
        }
        return flags
    }
}
