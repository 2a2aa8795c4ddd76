import ArgumentParser
import Foundation
import Guidance
import Sweep

/// The manifest argument shared by `plan`, `coordinator` and `sweep`: read, validated against the task
/// and model registries, expanded into a plan.
struct ManifestInput: ParsableArguments {
    @Argument(help: "The sweep manifest (YAML, see docs/MANIFEST.md).")
    var manifest: String
    @Option(name: .customLong("max-jobs"), help: "Refuse a grid that multiplies to more jobs than this.")
    var maxJobs: Int = ManifestLimits().maxJobs

    struct Loaded {
        var manifest: Manifest
        var yaml: String
        var plan: Plan
        var url: URL
    }

    func validate() throws {
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs: use an integer ≥ 1") }
    }

    /// Throws the manifest's own error (every problem with file, line and field) on bad input.
    func load() throws -> Loaded {
        let url = URL(fileURLWithPath: manifest)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CLIError("cannot read the manifest \(manifest): \(error.localizedDescription) (check the path)")
        }
        let limits = ManifestLimits(maxJobs: maxJobs)
        let yaml = try Manifest.text(of: data, file: manifest, limits: limits)
        let decoded = try Manifest.decode(yaml: yaml, file: manifest, validators: [RegistrySpecValidator()], limits: limits)
        return Loaded(manifest: decoded, yaml: yaml, plan: Plan(decoded), url: url)
    }
}
