import NN
import Sweep
import Torch

/// Optimizers and schedules from the typed training config.
enum OptimizerFactory {
    static func make(_ config: OptimizerConfig, parameters: [Tensor]) -> any Optimizer {
        switch config.name {
        case .sgd:
            return SGD(parameters, learningRate: config.lr, momentum: config.momentum, weightDecay: config.weightDecay)
        case .adam:
            return Adam(parameters, learningRate: config.lr, beta1: config.beta1, beta2: config.beta2, weightDecay: config.weightDecay)
        case .adamw:
            return Adam(parameters, learningRate: config.lr, beta1: config.beta1, beta2: config.beta2,
                        weightDecay: config.weightDecay, decoupledWeightDecay: true)
        }
    }

    static func schedule(_ config: ScheduleConfig, steps: Int) -> LearningRateSchedule {
        switch config.name {
        case .constant:
            return LearningRateSchedule(.constant, warmupSteps: config.warmupSteps)
        case .step:
            return LearningRateSchedule(.step(stepSize: config.stepSize ?? Swift.max(steps / 3, 1), gamma: config.gamma),
                                        warmupSteps: config.warmupSteps)
        case .cosine:
            return LearningRateSchedule(.cosine(totalSteps: Swift.max(steps - config.warmupSteps, 1), minimum: 0),
                                        warmupSteps: config.warmupSteps)
        }
    }
}
