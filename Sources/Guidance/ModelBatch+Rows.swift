import Models
import Torch

extension ModelBatch {
    /// The batch's examples `order` (positions in this batch), inputs and padding mask, on the batch's device.
    func rows(_ order: [Int]) throws -> ModelBatch {
        let index = try Tensor(order.map(Int64.init), shape: [order.count], device: inputs.device)
        return ModelBatch(inputs: try inputs.indexSelect(dim: 0, index),
                          paddingMask: try paddingMask.map { try $0.indexSelect(dim: 0, index) })
    }

    /// The first `count` examples (all of them when the batch has no more).
    func prefix(_ count: Int) throws -> ModelBatch {
        guard count < inputs.size(0) else { return self }
        return ModelBatch(inputs: try inputs.slice(dim: 0, start: 0, end: count),
                          paddingMask: try paddingMask.map { try $0.slice(dim: 0, start: 0, end: count) })
    }
}
