import Models
import Torch

/// Random inputs shaped like a real batch, for noise warm-up (method.md §5, the reference's noise): for images and
/// signals clamp(N(0,1) + 0.1·N(0,1), 0, 1) per element; for tokens uniform ids over the vocabulary, unpadded.
enum NoiseInputs {
    static func like(_ batch: ModelBatch, input: ModelInput, generator: Generator) throws -> ModelBatch {
        let shape = batch.inputs.shape
        let device = batch.inputs.device
        switch input {
        case .tokens(_, let vocabulary):
            return ModelBatch(inputs: try Tensor.randint(0, vocabulary, shape, device: device, generator: generator))
        case .image, .signal:
            let base = try Tensor.randn(shape, device: device, generator: generator)
            let jitter = try Tensor.randn(shape, device: device, generator: generator)
            return ModelBatch(inputs: try (base + jitter * 0.1).clamp(min: 0, max: 1))
        }
    }
}
