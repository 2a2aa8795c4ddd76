import Foundation

/// The subcommands and flags of the built `guidance` binary, read from its `--help` output.
enum GuidanceHelp {
    /// `.build/debug/guidance` (next to the test bundle, or under the package root).
    static let binary: URL = {
        var candidates = [Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent()) }
        candidates.append(K8sDocument.packageRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("guidance")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue { return url }
        }
        return K8sDocument.packageRoot.appendingPathComponent(".build/debug/guidance")
    }()

    /// Runs `guidance ARGS`; returns the exit status and standard output + error.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
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

    /// The subcommand names listed under SUBCOMMANDS in `guidance --help`.
    static func subcommands() throws -> Set<String> {
        let help = try run(["--help"]).output
        guard let section = help.range(of: "SUBCOMMANDS:") else { throw CheckError("no SUBCOMMANDS in guidance --help") }
        var names = Set<String>()
        for line in help[section.upperBound...].split(separator: "\n") {
            // Entries are indented by two spaces; wrapped descriptions by more.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { continue }
            names.insert(String(word))
        }
        return names
    }

    /// The `--long` options of `guidance SUBCOMMAND --help`.
    static func flags(of subcommand: String) throws -> Set<String> {
        let help = try run([subcommand, "--help"]).output
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
