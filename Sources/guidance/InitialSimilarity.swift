import Foundation
import Guidance
import Report
import Store
import Sweep

/// Architecture similarity at initialisation for every (task, guide, target) pair a sweep guides: the mean linear
/// CKA over the automatically mapped tap pairs, on a probe batch, with both models as a seed-0 job initialises them.
/// Written to `DIR/similarity.csv` (`guide,target,similarity,task`) so the report can set it against guidability.
enum InitialSimilarity {
    static let fileName = "similarity.csv"

    static func compute(records: [JobRecord], probe: Int = 256) -> [ArchitectureSimilarity] {
        var seen = Set<String>()
        var result: [ArchitectureSimilarity] = []
        for record in records {
            let spec = record.spec
            guard let guide = spec.guide, spec.condition != .distill, spec.condition != .distillInit, spec.kind == .train else { continue }
            let key = CanonicalJSON.string(spec.task) + CanonicalJSON.string(guide) + CanonicalJSON.string(spec.target)
            guard seen.insert(key).inserted else { continue }
            guard let matrix = try? SimilarityMatrix.compute(task: spec.task, a: spec.target, b: guide, probe: probe),
                  !matrix.autoPairs.isEmpty else { continue }
            let mapped = matrix.autoPairs.map { matrix.values[$0.target][$0.guide] }
            result.append(ArchitectureSimilarity(task: spec.task.name, guide: guide.displayName, target: spec.target.displayName,
                                                 similarity: mapped.reduce(0, +) / Double(mapped.count)))
        }
        return result
    }

    static func write(_ values: [ArchitectureSimilarity], to directory: URL) throws {
        var text = CSV.line(["guide", "target", "similarity", "task"])
        for v in values { text += CSV.line([v.guide, v.target, String(v.similarity), v.task ?? ""]) }
        try text.write(to: directory.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
    }

    /// The similarities saved next to a sweep's results, or none (a malformed file is reported on stderr).
    static func load(from directory: URL) -> [ArchitectureSimilarity] {
        let url = directory.appendingPathComponent(fileName)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        do {
            return try ArchitectureSimilarity.parseCSV(text, file: url.path)
        } catch {
            // The report still renders; the plot is left out, and the reader is told why instead of seeing it vanish.
            FileHandle.standardError.write(Data("warning: similarity plot left out: \(error)\n".utf8))
            return []
        }
    }
}
