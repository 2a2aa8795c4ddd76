/// One job of a `Plan`, compactly: positions of its parts in the plan's `PlanParts` (shared with the other jobs), and
/// what is its own (seed, condition, guide state, the job it waits for). About 48 bytes, where a `JobSpec` is
/// hundreds; `PlanParts.spec(of:)` materialises the full spec when it is needed (a job sent, a listing).
struct PlanCell: Hashable, Sendable {
    var seed: Int
    var task: Int32
    var target: Int32
    var training: Int32
    var guidance: Int32
    var kind: Int32
    /// Nil exactly when `condition` is `.baseline`.
    var guide: Int32?
    /// Position in the plan of the job that trains the guide (trained guide only); always an earlier job.
    var dependency: Int32?
    var condition: Condition
    var guideState: GuideState?

    /// The parts that make up the head of the cell's canonical JSON (`JobSpec.appendCanonicalHead`), shared by the
    /// cells that differ only in seed, target, task or training: the key of their `JobIDPrefix`.
    struct Head: Hashable {
        var condition: Condition
        var guidance: Int32
        var guide: Int32?
        var guideState: GuideState?
        var kind: Int32
    }

    var head: Head { Head(condition: condition, guidance: guidance, guide: guide, guideState: guideState, kind: kind) }
}
