public import Foundation
public import Sweep

/// What a results directory holds for reporting: the records, and the manifest they were run from.
///
/// Loading only reads. `ResultStore.open(existing:)` would repair a torn last line and rewrite results.csv,
/// which must not happen under a coordinator that is still writing; here a last line that does not
/// decode (a record being written) is skipped and mentioned in `notes`.
public struct SweepResults: Sendable {
    public var records: [JobRecord]
    /// The stored manifest (manifest.yaml), when present and readable.
    public var manifest: Manifest?
    /// SHA-256 (hex) of manifest.yaml, when present.
    public var manifestHash: String?
    /// The text of manifest.yaml, when present.
    public var manifestYAML: String?
    /// Where the results came from ("" when built in memory).
    public var directory: String
    /// What loading noticed: a skipped torn line, an unreadable manifest.
    public var notes: [String]

    public init(records: [JobRecord], manifest: Manifest? = nil, manifestHash: String? = nil, directory: String = "",
                notes: [String] = []) {
        self.records = records
        self.manifest = manifest
        self.manifestHash = manifestHash
        self.directory = directory
        self.notes = notes
    }

    /// Reads `directory` (results.jsonl, manifest.yaml). Throws `ReportError` for a missing or empty
    /// directory, no records, a corrupt line, and — unless `checkManifest` is false — records that are
    /// not jobs of the stored manifest.
    public static func load(directory: URL, checkManifest: Bool = true) throws -> SweepResults {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError.notADirectory(path: directory.path)
        }
        let resultsURL = directory.appendingPathComponent("results.jsonl")
        guard fm.fileExists(atPath: resultsURL.path) else {
            let contents = ((try? fm.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
            throw ReportError.notAResultsDirectory(path: directory.path, contents: contents)
        }
        var notes: [String] = []
        let records = try readRecords(resultsURL, notes: &notes)
        guard !records.isEmpty else { throw ReportError.noRecords(path: directory.path) }
        var results = SweepResults(records: records, directory: directory.path, notes: notes)
        let manifestURL = directory.appendingPathComponent("manifest.yaml")
        if let yaml = try? String(contentsOf: manifestURL, encoding: .utf8) {
            results.manifestHash = ContentHash.sha256Hex(Data(yaml.utf8))
            results.manifestYAML = yaml
            do {
                results.manifest = try Manifest.decode(yaml: yaml, file: manifestURL.path)
            } catch {
                results.notes.append("manifest.yaml could not be read (\(error)); rows and columns follow the records")
            }
        }
        if checkManifest, let manifest = results.manifest { try results.checkRecords(against: manifest) }
        return results
    }

    /// Throws `ReportError.foreignRecords` when some records are jobs of `manifest` and others are not (the
    /// directory mixes sweeps). When none is, the manifest is dropped with a note instead: that is more likely
    /// a manifest read differently here than by the coordinator than a directory of foreign records.
    public mutating func checkRecords(against manifest: Manifest) throws {
        let plan = Plan(manifest.worstCase)  // adaptive seeds: any seed up to max is the manifest's
        let foreign = records.filter { plan.index[$0.id] == nil }
        if foreign.count == records.count {
            notes.append("no record is a job of manifest.yaml as read here; it is ignored (rows and columns follow the records)")
            self.manifest = nil
            return
        }
        guard foreign.isEmpty else {
            let name = "manifest \"\(manifest.name)\"" + (manifestHash.map { " (\($0.prefix(12)))" } ?? "")
            throw ReportError.foreignRecords(count: foreign.count, manifest: name,
                                             examples: foreign.prefix(3).map { "\($0.id.short) \($0.spec.summary)" })
        }
    }

    /// Decodes every line; a bad last line is skipped (being written), a bad earlier line is an error.
    static func readRecords(_ url: URL, notes: inout [String]) throws -> [JobRecord] {
        let data = try Data(contentsOf: url)
        let decoder = JSONCoding.makeDecoder()
        var lines = data.split(separator: 0x0a, omittingEmptySubsequences: false)
        let complete = data.last == 0x0a
        if lines.last?.isEmpty == true { lines.removeLast() }
        var records: [JobRecord] = []
        for (number, line) in lines.enumerated() {
            let isLast = number == lines.count - 1
            do {
                if isLast && !complete { throw IncompleteLine() }
                records.append(try decoder.decode(JobRecord.self, from: Data(line)))
            } catch {
                guard isLast else {
                    throw ReportError.corruptLine(file: url.path, line: number + 1,
                                                  detail: String(String(describing: error).prefix(200)))
                }
                notes.append("results.jsonl: skipped line \(number + 1), incomplete (probably being written)")
            }
        }
        return records.effective  // a failure replaced by a later record of its job (--retry-failed) does not count
    }

    private struct IncompleteLine: Error {}
}
