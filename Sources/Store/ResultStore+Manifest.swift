import Foundation
import Config
import Sweep

extension ResultStore {
    static func createDirectory(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.unwritable(path: directory.path, reason: "it exists and is not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.unwritable(path: directory.path, reason: Self.reason(error))
            }
        }
        guard FileManager.default.isWritableFile(atPath: directory.path) else {
            throw StoreError.unwritable(path: directory.path, reason: "permission denied")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return (error as NSError).localizedDescription
    }

    /// Stores the manifest in a new directory, or checks it against the stored one (see `open`).
    static func checkManifest(in directory: URL, yaml: String, plan: Plan, acceptChangedDefaults: Bool) throws {
        try checkDefaults(in: directory, plan: plan, acceptChanges: acceptChangedDefaults)
        let manifestURL = directory.appendingPathComponent("manifest.yaml")
        let newHash = ContentHash.sha256Hex(Data(yaml.utf8))
        if let stored = try? String(contentsOf: manifestURL, encoding: .utf8) {
            let storedHash = ContentHash.sha256Hex(Data(stored.utf8))
            if storedHash == newHash { return }
            let storedPlan: Plan
            do {
                storedPlan = Plan(try Manifest.decode(yaml: stored, file: manifestURL.path).worstCase)
            } catch {
                throw StoreError.storedManifestUnreadable(path: manifestURL.path, detail: String(describing: error))
            }
            let missing = storedPlan.ids.indices.filter { plan.index[storedPlan.ids[$0]] == nil }
            guard missing.isEmpty else {
                throw StoreError.manifestChanged(
                    missing: missing.count,
                    examples: missing.prefix(3).map { "\(storedPlan.ids[$0].short) \(storedPlan.spec(at: $0).summary)" })
            }
            let archived = directory.appendingPathComponent("manifest.\(storedHash.prefix(12)).yaml")
            try write(stored, to: archived)
        }
        try write(yaml, to: manifestURL)
        try write("\(newHash)  manifest.yaml\n", to: directory.appendingPathComponent("manifest.sha256"))
        AppendOnlyFile.syncDirectory(directory.path)
    }

    /// Records the defaults a new directory starts with (`defaults.json`), or compares them with the stored ones:
    /// a default that changed for a family or task the plan uses throws `StoreError.defaultsChanged`, unless
    /// `acceptChanges` (the user asked to re-run the jobs that omit it, which then have new ids), in which case the
    /// table is replaced. A directory from before this file existed gets it now.
    static func checkDefaults(in directory: URL, plan: Plan, acceptChanges: Bool) throws {
        let url = directory.appendingPathComponent("defaults.json")
        let current = SpecDefaults.current
        if let data = try? Data(contentsOf: url) {
            let stored: [String: ConfigValue]
            do {
                stored = try JSONCoding.makeDecoder().decode([String: ConfigValue].self, from: data)
            } catch {
                throw StoreError.storedManifestUnreadable(path: url.path, detail: String(describing: error))
            }
            let changes = SpecDefaults.changes(from: stored, to: current, in: plan)
            if changes.isEmpty && stored.count == current.count { return }
            if !changes.isEmpty && !acceptChanges { throw StoreError.defaultsChanged(changes) }
        }
        try write(CanonicalJSON.string(ConfigValue.object(current)) + "\n", to: url)
    }

    private static func write(_ text: String, to url: URL) throws {
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw StoreError.unwritable(path: url.path, reason: reason(error))
        }
    }
}
