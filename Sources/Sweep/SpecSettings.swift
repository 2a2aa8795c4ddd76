/// Every training and guidance knob of a job spec, in the schemas' reading order, keyed as a manifest and the command
/// line name them (`training.optimizer.lr`, `guidance.readout`): what `guidance settings` lists, what `run --set`
/// orders its assignments by, and what a results directory's `defaults.json` records.
public enum SpecSettings {
    public static let entries: [SettingEntry] =
        TrainingConfig.schema.entries(prefix: "training") + GuidanceConfig.schema.entries(prefix: "guidance")
}
