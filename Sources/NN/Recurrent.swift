public import Torch

/// Weights of one recurrent layer (G = 1 gate block for a tanh RNN, 4 for an LSTM; PyTorch's gate order i, f, g, o).
public final class RecurrentLayerWeights: Module, @unchecked Sendable {
    /// [G·H, in]
    public let weightIH: Tensor
    /// [G·H, H]
    public let weightHH: Tensor
    /// [G·H] each, or nil without biases.
    public let biasIH: Tensor?
    public let biasHH: Tensor?

    init(input: Int, hidden: Int, gates: Int, bias: Bool, init p: ParameterInit) throws {
        let bound = 1 / Double(hidden).squareRoot()
        weightIH = try p.uniform([gates * hidden, input], bound: bound)
        weightHH = try p.uniform([gates * hidden, hidden], bound: bound)
        biasIH = bias ? try p.uniform([gates * hidden], bound: bound) : nil
        biasHH = bias ? try p.uniform([gates * hidden], bound: bound) : nil
        super.init()
    }

    var flat: [Tensor] { [weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 } }
}

/// A multi-layer recurrent network, batch first: x [N, T, input] → outputs [N, T, hidden] (last layer, every step)
/// and final states [layers, N, hidden]. `cell` selects Elman tanh units (`h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`)
/// or LSTM units. Init (PyTorch's default): every weight and bias ~ U(−1/√hidden, 1/√hidden). Runs libtorch's fused
/// kernels. Dropout (training only) applies between layers, as PyTorch's `dropout` argument.
public final class Recurrent: Module, @unchecked Sendable {
    public let layers: [RecurrentLayerWeights]
    public let cell: RecurrentCell
    public let hiddenSize: Int
    public let dropout: Double

    public init(_ cell: RecurrentCell, input: Int, hidden: Int, layers: Int = 1, bias: Bool = true, dropout: Double = 0,
                init p: ParameterInit) throws {
        guard input > 0, hidden > 0, layers > 0 else {
            throw TorchError("\(cell == .lstm ? "LSTM" : "RNN")", "input, hidden and layers must be positive (\(input), \(hidden), \(layers))")
        }
        let gates = cell == .lstm ? 4 : 1
        self.layers = try (0..<layers).map { l in
            try RecurrentLayerWeights(input: l == 0 ? input : hidden, hidden: hidden, gates: gates, bias: bias, init: p)
        }
        self.cell = cell
        self.hiddenSize = hidden
        self.dropout = dropout
        super.init()
    }

    /// Runs the network from zero initial states (or `h0`/`c0`: [layers, N, hidden]).
    public func callAsFunction(_ x: Tensor, h0: Tensor? = nil, c0: Tensor? = nil) throws -> (output: Tensor, hidden: Tensor, cell: Tensor?) {
        guard x.rank == 3 else { throw TorchError("Recurrent", "expected input [N, T, features], got shape \(x.shape)") }
        let stateShape = [layers.count, x.size(0), hiddenSize]
        let h = try h0 ?? Tensor.zeros(stateShape, dtype: x.dtype, device: x.device)
        let c: Tensor? = cell == .lstm ? try c0 ?? Tensor.zeros(stateShape, dtype: x.dtype, device: x.device) : nil
        return try x.recurrent(cell, h0: h, c0: c, parameters: layers.flatMap(\.flat), hasBiases: layers[0].biasIH != nil,
                               layers: layers.count, dropout: dropout, training: isTraining)
    }
}
