import Sweep

/// Agreement between a guided target and its guide, from recorded test predictions.
///
/// Records hold predicted classes but not the true labels, so correctness per item cannot be recovered:
/// the κ here is Cohen's κ on the *predicted labels* (`CohensKappa.predictionAgreement`), not the paper's
/// error consistency (`CohensKappa.errorConsistency`, which needs correctness). For reference, each row
/// also gives the same κ between the unguided target and the guide.
public struct ErrorConsistencyRow: Codable, Hashable, Sendable {
    public var task: String
    public var arm: Arm
    public var guide: String
    public var target: String
    public var setting: String
    /// κ(guided target, guide's own baseline) over seeds.
    public var guided: SampleSummary?
    /// κ(target's baseline, guide's own baseline) over seeds.
    public var unguided: SampleSummary?
}

extension MatrixBuilder {
    /// One row per guided cell whose runs recorded predictions, in task, arm, guide, target order.
    public func errorConsistency() -> [ErrorConsistencyRow] {
        var rows: [ErrorConsistencyRow] = []
        for (task, taskName) in index.tasks {
            for arm in index.arms(forTask: taskName) where arm != .baseline {
                for (setting, label) in index.settings(task: task, arm: arm) {
                    for guide in index.guideOrder {
                        for target in index.targetOrder {
                            let runs = index.runs(RunKey(task: task, target: target, guide: guide, arm: arm, setting: setting))
                            guard runs.values.contains(where: { $0.predictions != nil }) else { continue }
                            let guideRuns = index.runs(RunKey(task: task, target: guide, guide: nil, arm: .baseline, setting: setting))
                            let targetRuns = index.runs(RunKey(task: task, target: target, guide: nil, arm: .baseline, setting: setting))
                            var guided: [Double] = [], unguided: [Double] = []
                            for (seed, run) in runs {
                                guard let reference = guideRuns[seed]?.predictions else { continue }
                                if let p = run.predictions, let k = CohensKappa.predictionAgreement(p, reference) { guided.append(k) }
                                if let p = targetRuns[seed]?.predictions, let k = CohensKappa.predictionAgreement(p, reference) {
                                    unguided.append(k)
                                }
                            }
                            guard !guided.isEmpty else { continue }
                            rows.append(ErrorConsistencyRow(
                                task: taskName, arm: arm, guide: index.name(of: guide), target: index.name(of: target),
                                setting: label, guided: SampleSummary(guided, level: level),
                                unguided: SampleSummary(unguided, level: level)))
                        }
                    }
                }
            }
        }
        return rows
    }
}
