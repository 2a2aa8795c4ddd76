/// A snapshot of a running job, for live progress lines and worker heartbeats.
public struct TrainingProgress: Sendable {
    public enum Phase: String, Sendable {
        case noiseWarmup = "noise warm-up"
        case training
        case evaluating
    }

    public var phase: Phase
    /// Steps done in this phase, and the phase's total.
    public var step: Int
    public var totalSteps: Int
    /// Mean over the steps since the last report.
    public var trainLoss: Double?
    public var taskLoss: Double?
    public var guidanceLoss: Double?
    /// Latest validation metric (accuracy, token accuracy or perplexity) and its name.
    public var valMetric: Double?
    public var metricName: String
    public var stepsPerSecond: Double
    /// Seconds left at the current rate.
    public var etaSeconds: Double?
}
