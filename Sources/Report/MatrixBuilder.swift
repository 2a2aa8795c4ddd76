import Sweep

/// Builds matrices of paired differences from a `RecordIndex`.
///
/// Pairing: a treatment run and a reference run pair when they share task, target, training settings,
/// job kind and seed (and guide, unless the reference is the baseline); the reference's guidance settings
/// are the treatment's as the reference condition reads them (`GuidanceConfig.normalized(for:)`).
public struct MatrixBuilder: Sendable {
    public let index: RecordIndex
    /// Confidence level of the intervals.
    public var level: Double

    public init(index: RecordIndex, level: Double = 0.95) {
        self.index = index
        self.level = level
    }

    /// One matrix per treatment setting found on the task (usually one), or none when the treatment arm
    /// has no runs there.
    public func matrices(task name: String, metric: String, comparison: Comparison) -> [GuidabilityMatrix] {
        guard let task = index.task(named: name) else { return [] }
        let direction = MetricDirection(metric: metric)
        return index.settings(task: task, arm: comparison.treatment).map { setting, label in
            var cells: [[MatrixCell]] = index.guideOrder.map { guide in
                index.targetOrder.map { target in
                    cell(task: task, target: target, guide: guide, comparison: comparison, setting: setting,
                         metric: metric, direction: direction)
                }
            }
            var guides = index.guideOrder, targets = index.targetOrder
            // Rows and columns without any run are dropped unless the manifest plans them (running sweep).
            let keepRows = guides.indices.filter { r in
                index.plannedModels.contains(guides[r]) || cells[r].contains { !$0.isEmpty }
            }
            let keepColumns = targets.indices.filter { c in
                index.plannedModels.contains(targets[c]) || cells.contains { !$0[c].isEmpty }
            }
            cells = keepRows.map { r in keepColumns.map { c in cells[r][c] } }
            guides = keepRows.map { guides[$0] }
            targets = keepColumns.map { targets[$0] }
            let baselines = comparison.isGuidability
                ? targets.map { baseline(task: task, target: $0, setting: setting, metric: metric) } : nil
            return GuidabilityMatrix(
                task: name, metric: metric, comparison: comparison, setting: label, guides: guides.map(index.name(of:)),
                targets: targets.map(index.name(of:)), cells: cells, baselines: baselines, level: level)
        }
    }

    func cell(task: TaskSpec, target: ModelKey, guide: ModelKey, comparison: Comparison, setting: Setting,
              metric: String, direction: MetricDirection) -> MatrixCell {
        let treatment = index.runs(RunKey(task: task, target: target, guide: guide, arm: comparison.treatment,
                                          setting: setting))
        guard !treatment.isEmpty else { return MatrixCell(pairs: [], issues: CellIssues(), level: level) }
        let reference = index.runs(RunKey(task: task, target: target, guide: guide, arm: comparison.reference,
                                          setting: setting.normalized(for: comparison.reference.condition)))
        var pairs: [SeedPair] = []
        var issues = CellIssues()
        for seed in Set(treatment.keys).union(reference.keys).sorted() {
            let t = Outcome(treatment[seed], metric), r = Outcome(reference[seed], metric)
            if case .value(let tv) = t, case .value(let rv) = r {
                pairs.append(SeedPair(seed: seed, treatment: tv, reference: rv, direction: direction))
                continue
            }
            var explained = false
            switch t {
            case .diverged: issues.treatmentDiverged += 1; explained = true
            case .failed: issues.treatmentFailed += 1; explained = true
            case .missing: issues.missingMetric += 1; explained = true
            case .value, .absent: break
            }
            switch r {
            case .diverged: issues.referenceDiverged += 1; explained = true
            case .failed: issues.referenceFailed += 1; explained = true
            case .missing: issues.missingMetric += 1; explained = true
            case .value, .absent: break
            }
            let notAdded = treatment[seed] == nil && seed >= (index.initialSeedCount ?? .max)
            if !explained, !notAdded { issues.pending += 1 }
        }
        return MatrixCell(pairs: pairs, issues: issues, treatmentRuns: treatment.keys.sorted().map { treatment[$0]!.id },
                          referenceRuns: reference.keys.sorted().map { reference[$0]!.id }, level: level,
                          trains: TrainCount(treatment.values, thresholds: index.trainsIf))
    }

    func baseline(task: TaskSpec, target: ModelKey, setting: Setting, metric: String) -> BaselineSummary {
        let runs = index.runs(RunKey(task: task, target: target, guide: nil, arm: .baseline, setting: setting))
        var values: [Double] = []
        var diverged = 0, failed = 0
        for seed in runs.keys.sorted() {
            switch Outcome(runs[seed], metric) {
            case .value(let v): values.append(v)
            case .diverged: diverged += 1
            case .failed: failed += 1
            case .missing, .absent: break
            }
        }
        return BaselineSummary(target: index.name(of: target), summary: SampleSummary(values, level: level),
                               diverged: diverged, failed: failed, trains: TrainCount(runs.values, thresholds: index.trainsIf))
    }
}

/// What one run gives for a metric.
private enum Outcome {
    case value(Double)
    case diverged
    case failed
    /// Finished without a finite value of the metric.
    case missing
    /// No record (not run yet).
    case absent

    init(_ record: JobRecord?, _ metric: String) {
        guard let record else { self = .absent; return }
        switch record.status {
        case .diverged: self = .diverged
        case .failed: self = .failed
        case .ok:
            if let v = record.metrics[metric], v.isFinite { self = .value(v) } else { self = .missing }
        }
    }
}
