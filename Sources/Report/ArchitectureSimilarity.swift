/// Similarity of a guide and a target architecture (for example linear CKA of their representations at
/// initialization), to set against how well the guide guides the target.
public struct ArchitectureSimilarity: Codable, Hashable, Sendable {
    /// The task the similarity was measured on, or nil for every task.
    public var task: String?
    /// Display names, as in the matrices.
    public var guide: String
    public var target: String
    /// The similarity (CKA in [0, 1]).
    public var similarity: Double

    public init(task: String? = nil, guide: String, target: String, similarity: Double) {
        self.task = task
        self.guide = guide
        self.target = target
        self.similarity = similarity
    }
}

extension GuidabilityMatrix {
    /// Points (similarity, mean Δ in display units) for every cell with a value and a similarity.
    public func similarityPoints(_ similarities: [ArchitectureSimilarity]) -> [SVGScatter.Point] {
        var points: [SVGScatter.Point] = []
        for s in similarities where s.task == nil || s.task == task {
            guard let delta = cell(guide: s.guide, target: s.target)?.delta else { continue }
            points.append(SVGScatter.Point(x: s.similarity, y: delta.mean * displayScale, label: "\(s.guide)→\(s.target)"))
        }
        return points
    }
}
