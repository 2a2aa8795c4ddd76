/// The parts a plan's jobs are made of, each distinct value once (see `SharedParts` for why). Targets and guides
/// share one table of models, so that a guide's training job and a target baseline of the same model use one entry.
struct PlanParts: Sendable {
    var tasks = SharedParts<TaskSpec>()
    var models = SharedParts<ModelSpec>()
    var trainings = SharedParts<TrainingConfig>()
    var guidances = SharedParts<GuidanceConfig>()
    var kinds = SharedParts<JobKind>()

    /// The full spec of `cell`.
    func spec(of cell: PlanCell) -> JobSpec {
        JobSpec(task: tasks[cell.task], target: models[cell.target], guide: cell.guide.map { models[$0] },
                condition: cell.condition, guideState: cell.guideState, seed: cell.seed, training: trainings[cell.training],
                guidance: guidances[cell.guidance], kind: kinds[cell.kind])
    }

    /// The hashed head of the canonical JSON of the cells with `head`, from the pre-encoded parts.
    func prefix(_ head: PlanCell.Head) -> JobIDPrefix {
        var bytes: [UInt8] = []
        JobSpec.appendCanonicalHead(
            condition: head.condition, guidance: guidances.canonical[Int(head.guidance)],
            guide: head.guide.map { models.canonical[Int($0)] }, guideState: head.guideState,
            kind: kinds.canonical[Int(head.kind)], to: &bytes)
        return JobIDPrefix(head: bytes)
    }

    /// Writes the tail of the canonical JSON of `cell`'s spec into `out` (replacing its contents) from the pre-encoded
    /// parts. `prefix(cell.head)` followed by this is `CanonicalJSON.bytes(spec(of: cell))` (`JobSpec.appendCanonicalBytes`
    /// writes the same head and tail), hence the same job id, without encoding any part again.
    func tail(of cell: PlanCell, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        JobSpec.appendCanonicalTail(
            seed: cell.seed, target: models.canonical[Int(cell.target)], task: tasks.canonical[Int(cell.task)],
            training: trainings.canonical[Int(cell.training)], to: &out)
    }
}
