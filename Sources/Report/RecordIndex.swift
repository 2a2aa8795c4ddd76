import Config
public import Sweep

/// Records grouped for pairing: runs by cell and seed, display names, and orderings.
///
/// Models and tasks are identified without their labels (like job ids); rows and columns follow the
/// manifest's order when there is one, then any other model by name.
public struct RecordIndex: Sendable {
    /// The cell key → seed → record (the first record of a seed counts).
    var runs: [RunKey: [Int: JobRecord]] = [:]
    /// Every record by id.
    public private(set) var recordsByID: [JobID: JobRecord] = [:]
    var modelNames: [ModelKey: String] = [:]
    /// Tasks in order, with their display names.
    private(set) var tasks: [(spec: TaskSpec, name: String)] = []
    /// Targets and guides in display order.
    private(set) var targetOrder: [ModelKey] = []
    private(set) var guideOrder: [ModelKey] = []
    /// Models the manifest names (kept as rows/columns before they have records).
    private(set) var plannedModels: Set<ModelKey> = []
    /// The manifest's `trains_if` thresholds (empty without a manifest or thresholds).
    public private(set) var trainsIf: [String: Double] = [:]
    /// With adaptive seeds, the seeds every cell starts with: a later seed without a treatment run was not added to
    /// that cell (it is not pending).
    public private(set) var initialSeedCount: Int?
    /// Final metric names present per task.
    private(set) var metricsByTask: [TaskSpec: Set<String>] = [:]

    public init(records: [JobRecord], manifest: Manifest? = nil) {
        var targets: Set<ModelKey> = [], guides: Set<ModelKey> = []
        trainsIf = manifest?.trainsIf ?? [:]
        initialSeedCount = manifest?.seedPolicy?.initial
        var taskSpecs: [TaskSpec] = manifest?.tasks ?? []
        for record in records {
            let spec = record.spec
            recordsByID[record.id] = recordsByID[record.id] ?? record
            let key = RunKey(spec)
            if runs[key]?[spec.seed] == nil { runs[key, default: [:]][spec.seed] = record }
            let target = ModelKey(spec.target)
            if modelNames[target] == nil { modelNames[target] = spec.target.displayName }
            if spec.condition != .baseline { targets.insert(target) }
            if let guide = spec.guide {
                let g = ModelKey(guide)
                if modelNames[g] == nil { modelNames[g] = guide.displayName }
                guides.insert(g)
            }
            if !taskSpecs.contains(spec.task) { taskSpecs.append(spec.task) }
            metricsByTask[spec.task, default: []].formUnion(record.metrics.keys)
        }
        for model in (manifest?.targets ?? []) + (manifest?.guides ?? []) {
            modelNames[ModelKey(model)] = model.displayName
            plannedModels.insert(ModelKey(model))
        }
        targetOrder = Self.ordered(targets, manifest: manifest?.targets ?? [], names: modelNames)
        guideOrder = Self.ordered(guides, manifest: manifest?.guides ?? [], names: modelNames)
        let present = Set(records.map(\.spec.task))
        taskSpecs = taskSpecs.filter(present.contains)
        let labels = VaryingFields.labels(taskSpecs.map(\.options))
        tasks = zip(taskSpecs, labels).map { spec, label in (spec, label.isEmpty ? spec.name : "\(spec.name)[\(label)]") }
    }

    private static func ordered(_ seen: Set<ModelKey>, manifest: [ModelSpec], names: [ModelKey: String]) -> [ModelKey] {
        var order: [ModelKey] = []  // the manifest's models even before they have records (a running sweep)
        for key in manifest.map(ModelKey.init) where !order.contains(key) { order.append(key) }
        let extra = seen.subtracting(order).sorted { (names[$0] ?? $0.family) < (names[$1] ?? $1.family) }
        return order + extra
    }

    /// Task display names, in order.
    public var taskNames: [String] { tasks.map(\.name) }

    /// The task spec with display name `name`.
    func task(named name: String) -> TaskSpec? { tasks.first { $0.name == name }?.spec }

    /// Display name of `task`.
    func name(of task: TaskSpec) -> String { tasks.first { $0.spec == task }?.name ?? task.name }

    /// Final metric names recorded for the task, sorted.
    public func metrics(forTask name: String) -> [String] {
        guard let task = task(named: name) else { return [] }
        return (metricsByTask[task] ?? []).sorted()
    }

    /// The arms (condition, guide state) with records on the task, in condition then state order.
    public func arms(forTask name: String) -> [Arm] {
        guard let task = task(named: name) else { return [] }
        return Set(runs.keys.filter { $0.task == task }.map(\.arm)).sorted { a, b in
            a.condition != b.condition ? a.condition < b.condition : (a.guideState.map { $0 == .untrained } ?? true)
                && b.guideState == .trained
        }
    }

    /// The settings the treatment arm ran with on `task`, in a stable order, with labels for what differs.
    func settings(task: TaskSpec, arm: Arm) -> [(setting: Setting, label: String)] {
        var seen: [Setting] = []
        for key in runs.keys where key.task == task && key.arm == arm && !seen.contains(key.setting) {
            seen.append(key.setting)
        }
        let labels = VaryingFields.labels(seen.map(SettingFields.init))
        return zip(seen, labels).map { ($0, $1) }.sorted { $0.1 < $1.1 }
    }

    /// Seed → record of one cell.
    func runs(_ key: RunKey) -> [Int: JobRecord] { runs[key] ?? [:] }

    func name(of model: ModelKey) -> String { modelNames[model] ?? model.family }
}

/// A setting as the fields its label may mention.
private struct SettingFields: Encodable {
    var training: TrainingConfig
    var guidance: GuidanceConfig
    var kind: JobKind

    init(_ setting: Setting) {
        training = setting.training
        guidance = setting.guidance
        kind = setting.kind
    }
}
