extension Plan {
    /// Text for `guidance plan`: counts, then one line per job (short id, summary, varying settings,
    /// dependencies), then the DAG edges. At most `limit` jobs and edges are listed.
    public func render(limit: Int = 200) -> String {
        var lines: [String] = []
        let trainers = guideTrainingIDs
        lines.append("\(count) jobs")
        for condition in Condition.allCases {
            guard let n = countsByCondition[condition] else { continue }
            var line = "  \(condition.rawValue): \(n)"
            if condition == .baseline {
                let guideTraining = ids.indices.filter { cells[$0].condition == .baseline && trainers.contains(ids[$0]) }.count
                if guideTraining > 0 { line += " (\(guideTraining) also train a guide)" }
            }
            lines.append(line)
        }
        for state in GuideState.allCases {
            if let n = countsByGuideState[state] { lines.append("  guide \(state.rawValue): \(n)") }
        }
        let shown = jobs.prefix(limit)
        let varying = varyingSettings(Array(shown))
        lines.append("")
        lines.append("jobs:")
        for job in shown {
            var line = "  \(job.id.short)  \(job.spec.summary)"
            let settings = varying.compactMap { key, values in values[job.id].map { "\(key)=\($0)" } }
            if !settings.isEmpty { line += "  " + settings.joined(separator: " ") }
            if !job.dependencies.isEmpty { line += "  after " + job.dependencies.map(\.short).joined(separator: ",") }
            lines.append(line)
        }
        if count > shown.count { lines.append("  … \(count - shown.count) more") }
        let edges = jobs.flatMap { job in job.dependencies.map { ($0, job.id) } }
        lines.append("")
        lines.append("dependencies (\(edges.count) edges, guide training -> guided job):")
        for (from, to) in edges.prefix(limit) { lines.append("  \(from.short) -> \(to.short)") }
        if edges.count > limit { lines.append("  … \(edges.count - limit) more") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Ids of jobs some other job depends on.
    public var guideTrainingIDs: Set<JobID> { Set(cells.compactMap { $0.dependency.map { ids[Int($0)] } }) }

    /// Training/guidance settings that differ among `jobs`: key → (job → value text), keys sorted.
    private func varyingSettings(_ jobs: [PlannedJob]) -> [(String, [JobID: String])] {
        var values: [String: [JobID: String]] = [:]
        for job in jobs {
            let flat = job.spec.settingsSummary
            for (key, value) in flat { values[key, default: [:]][job.id] = value }
        }
        return values.filter { Set($0.value.values).count > 1 }.sorted { $0.key < $1.key }
    }
}

extension JobSpec {
    /// A few settings worth showing in a listing: lr, steps, batch, optimizer, alpha, similarity, K.
    var settingsSummary: [String: String] {
        var result: [String: String] = [
            "lr": training.optimizer.lr.description, "steps": String(training.steps),
            "batch": String(training.batchSize), "opt": training.optimizer.name.rawValue,
        ]
        if condition.usesGuide {
            result["alpha"] = guidance.alpha.description
            result["sim"] = guidance.similarity.rawValue
        }
        if condition.readsInitSteps { result["K"] = String(guidance.initSteps) }
        if condition == .noiseWarmup { result["K"] = String(guidance.noiseSteps) }
        return result
    }
}
