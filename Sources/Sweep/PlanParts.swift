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

    /// Writes the canonical JSON of `cell`'s spec into `out` (replacing its contents) from the pre-encoded parts: the
    /// same bytes as `CanonicalJSON.bytes(spec(of: cell))`, hence the same job id, without encoding any part again.
    func canonicalBytes(of cell: PlanCell, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        JobSpec.appendCanonicalBytes(JobSpec.CanonicalParts(
            condition: cell.condition, guidance: guidances.canonical[Int(cell.guidance)],
            guide: cell.guide.map { models.canonical[Int($0)] }, guideState: cell.guideState,
            kind: kinds.canonical[Int(cell.kind)], seed: cell.seed, target: models.canonical[Int(cell.target)],
            task: tasks.canonical[Int(cell.task)], training: trainings.canonical[Int(cell.training)]), to: &out)
    }
}
