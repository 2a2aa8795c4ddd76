import Foundation

/// The learning rate as a function of the step (0-based), from a base rate.
/// A linear warm-up from base/warmup to base over the first `warmupSteps` steps precedes every shape.
public struct LearningRateSchedule: Sendable, Equatable {
    public enum Shape: Sendable, Equatable {
        /// The base rate throughout.
        case constant
        /// base · gamma^⌊step / stepSize⌋ (PyTorch's StepLR).
        case step(stepSize: Int, gamma: Double)
        /// Cosine from base to `minimum` over `totalSteps` (after warm-up), then `minimum` (CosineAnnealingLR).
        case cosine(totalSteps: Int, minimum: Double)
    }

    public var shape: Shape
    public var warmupSteps: Int

    public init(_ shape: Shape = .constant, warmupSteps: Int = 0) {
        self.shape = shape
        self.warmupSteps = warmupSteps
    }

    public func rate(at step: Int, base: Double) -> Double {
        if step < warmupSteps { return base * Double(step + 1) / Double(warmupSteps) }
        let t = step - warmupSteps
        switch shape {
        case .constant:
            return base
        case .step(let size, let gamma):
            return base * pow(gamma, Double(t / Swift.max(size, 1)))
        case .cosine(let total, let minimum):
            guard total > 0, t < total else { return minimum }
            return minimum + (base - minimum) * (1 + cos(Double.pi * Double(t) / Double(total))) / 2
        }
    }
}
