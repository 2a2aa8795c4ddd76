import Foundation

/// Wall-clock time of each phase of each training step, for `guidance bench` (a profiler, not a metric).
///
/// The training loop marks the end of each phase; the time since the previous mark is charged to that phase.
/// libtorch's CPU kernels run synchronously, so a phase's time is the time of its kernels. On an asynchronous device
/// (CUDA) the times only say where the host waited. When `Trainer.Options.profile` is nil nothing is measured.
public final class StepProfile: @unchecked Sendable {
    /// The phases of one step, in the order the loop runs them.
    public enum Phase: String, CaseIterable, Sendable {
        /// Next host batch from the task (gather of shuffled rows).
        case batch
        /// Host batch → tensors on the device (`TaskData.tensors`).
        case tensors
        /// Target forward pass (taps recorded when guiding) and the task loss.
        case targetForward = "target_forward"
        /// The frozen guide's forward pass with taps (guided steps only).
        case guideForward = "guide_forward"
        /// The similarity terms Σ(1 − sim) and the total loss (or the distillation term).
        case similarity
        /// Reading the loss value to check that it is finite.
        case lossCheck = "loss_check"
        /// Backpropagation (including zeroing the previous gradients and clipping).
        case backward
        /// The optimizer's update.
        case optimizer
        /// Running means of the logged losses, progress, steps per second.
        case bookkeeping
        /// Periodic evaluation on the validation split (not part of a step's cost; reported apart).
        case evaluation
    }

    /// Seconds per phase, one entry per step (phases a step did not run are absent).
    public private(set) var steps: [[Phase: Double]] = []
    private var current: [Phase: Double] = [:]
    private var last = DispatchTime.now().uptimeNanoseconds
    private var open = false

    public init() {}

    /// Starts a step: the clock restarts, nothing is charged.
    func beginStep() {
        if open { steps.append(current) }
        current = [:]
        open = true
        last = DispatchTime.now().uptimeNanoseconds
    }

    /// Charges the time since the previous mark (or `beginStep`) to `phase`.
    func mark(_ phase: Phase) {
        let now = DispatchTime.now().uptimeNanoseconds
        current[phase, default: 0] += Double(now &- last) / 1e9
        last = now
    }

    /// Closes the last step (call after the loop).
    func endStep() {
        if open { steps.append(current) }
        current = [:]
        open = false
    }
}
