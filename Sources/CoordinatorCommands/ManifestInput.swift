public import ArgumentParser
public import Coordinator
public import Foundation
public import Sweep

/// The manifest argument shared by `plan`, `coordinator` and `sweep`: read, validated against the task
/// and model registries, expanded into a plan.
public struct ManifestInput: ParsableArguments {
    @Argument(help: "The sweep manifest (YAML, see docs/MANIFEST.md).")
    var manifest: String
    @Option(name: .customLong("max-jobs"), help: "Refuse a grid that multiplies to more jobs than this.")
    var maxJobs: Int = ManifestLimits().maxJobs

    public struct Loaded {
        public var manifest: Manifest
        public var yaml: String
        /// What the coordinator runs: the manifest's plan, or with adaptive seeds the worst case (every seed to `max`).
        public var plan: Plan
        public var url: URL
        /// The jobs planned before any result (`plan` without adaptive seeds).
        public var initialPlan: Plan
        /// The seed policy for the coordinator; nil with fixed seeds.
        public var adaptive: AdaptiveSeeds?
    }

    public init() {}

    public func validate() throws {
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs: use an integer ≥ 1") }
    }

    /// Throws the manifest's own error (every problem with file, line and field) on bad input.
    public func load() throws -> Loaded {
        let url = URL(fileURLWithPath: manifest)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CLIError("cannot read the manifest \(manifest): \(error.localizedDescription) (check the path)")
        }
        let limits = ManifestLimits(maxJobs: maxJobs)
        let yaml = try Manifest.text(of: data, file: manifest, limits: limits)
        let decoded = try Manifest.decode(yaml: yaml, file: manifest, validators: ManifestChecks.validators, limits: limits)
        let initial = Plan(decoded)
        let adaptive = AdaptiveSeeds(decoded, initialPlan: initial)
        return Loaded(manifest: decoded, yaml: yaml, plan: adaptive == nil ? initial : Plan(decoded.worstCase), url: url,
                      initialPlan: initial, adaptive: adaptive)
    }
}
