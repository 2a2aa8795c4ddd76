import Models
import Sweep
import Torch

/// Random inputs shaped like a real batch, for noise warm-up (method.md §5): for images and signals
/// clamp(N(0,1) + 0.1·N(0,1), 0, 1) per element (`clamped`, the reference's noise) or N(0,1) (`normal`, for
/// standardised inputs); for tokens uniform ids over the vocabulary, unpadded, whatever the distribution.
enum NoiseInputs {
    static func like(_ batch: ModelBatch, input: ModelInput, distribution: GuidanceConfig.NoiseDistribution,
                     generator: Generator) throws -> ModelBatch {
        let shape = batch.inputs.shape
        let device = batch.inputs.device
        switch input {
        case .tokens(_, let vocabulary):
            return ModelBatch(inputs: try Tensor.randint(0, vocabulary, shape, device: device, generator: generator))
        case .image, .signal:
            if distribution == .normal { return ModelBatch(inputs: try Tensor.randn(shape, device: device, generator: generator)) }
            let base = try Tensor.randn(shape, device: device, generator: generator)
            let jitter = try Tensor.randn(shape, device: device, generator: generator)
            return ModelBatch(inputs: try (base + jitter * 0.1).clamp(min: 0, max: 1))
        }
    }
}
