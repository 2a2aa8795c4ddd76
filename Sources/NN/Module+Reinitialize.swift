public import Torch

extension Module {
    /// Re-draws the weights of every `Linear`, `Conv`, `Recurrent` layer and `MultiheadAttention` in this module
    /// and its descendants (depth first, declaration order) under `scheme`, zeroing their biases (see
    /// `InitScheme`); values come from `p`'s generator, so the result is deterministic in the seed. `.pytorch`
    /// changes nothing. Returns the number of weight tensors re-drawn (0 when the module has no such layer).
    @discardableResult
    public func reinitialize(_ scheme: InitScheme, using p: ParameterInit) throws -> Int {
        guard scheme != .pytorch else { return 0 }
        var weights: [Tensor] = []
        var biases: [Tensor] = []
        collectInitialisable(weights: &weights, biases: &biases)
        try Torch.withNoGrad {
            for weight in weights { try weight.copy_(p.draw(scheme, shape: weight.shape)) }
            for bias in biases { try bias.zero_() }
        }
        return weights.count
    }

    private func collectInitialisable(weights: inout [Tensor], biases: inout [Tensor]) {
        switch self {
        case let linear as Linear:
            weights.append(linear.weight)
            if let bias = linear.bias { biases.append(bias) }
        case let conv as Conv:
            weights.append(conv.weight)
            if let bias = conv.bias { biases.append(bias) }
        case let recurrent as RecurrentLayerWeights:
            weights += [recurrent.weightIH, recurrent.weightHH]
            biases += [recurrent.biasIH, recurrent.biasHH].compactMap { $0 }
        case let attention as MultiheadAttention:
            weights.append(attention.inProjWeight)
            biases.append(attention.inProjBias)
        default:
            break
        }
        for (_, child) in namedChildren { child.collectInitialisable(weights: &weights, biases: &biases) }
    }
}

extension ParameterInit {
    /// A fresh weight of `shape` under `scheme` (pytorch: kaiming-uniform with a = √5, PyTorch's Linear/Conv default).
    func draw(_ scheme: InitScheme, shape: [Int]) throws -> Tensor {
        switch scheme {
        case .pytorch: try kaimingUniformDefault(shape)
        case .kaiming: try kaimingNormal(shape)
        case .xavier: try xavierUniform(shape)
        case .orthogonal: try orthogonal(shape)
        }
    }
}
