import Foundation
import Guidance
import Report
import Sweep

/// Architecture similarity at initialisation for every (task, guide, target) pair a sweep guides: the mean linear
/// CKA over the automatically mapped tap pairs, on a probe batch, with both models as a seed-0 job initialises them.
/// Written to `DIR/similarity.csv` by `SimilarityFile` so the report can set it against guidability.
enum InitialSimilarity {
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
}
