/// How a model's weights are initialised (manifest field `init`, every family with weights).
///
/// `pytorch` leaves every layer with PyTorch's own default (what `Linear`, `Conv`, `Recurrent`,
/// `MultiheadAttention` draw when built; bit-identical to a model built before this option existed). The other
/// schemes re-draw, after the model is built and from the same generator, every **weight** of the layers they apply
/// to, following `torch.nn.init`, and set those layers' **biases to zero**:
///
/// | layer | weights re-drawn | fan_in / fan_out (torch's `_calculate_fan_in_and_fan_out`) |
/// |---|---|---|
/// | `Linear` (heads included) | `weight` [out, in] | in / out |
/// | `Conv` (patch embeddings included) | `weight` [out, in/groups, k…] | in/groups·kᵈ / out·kᵈ |
/// | `Recurrent` (RNN, LSTM), each layer | `weight_ih` [G·H, in] and `weight_hh` [G·H, H], each as one matrix | columns / rows |
/// | `MultiheadAttention` | `in_proj_weight` [3E, E] (its out-projection is a `Linear`) | E / 3E |
///
/// - `kaiming`: `kaiming_normal_(mode='fan_in', nonlinearity='relu')`: N(0, σ²), σ = √2 / √fan_in.
/// - `xavier`: `xavier_uniform_(gain=1)`: U(−a, a), a = √(6 / (fan_in + fan_out)).
/// - `orthogonal`: `orthogonal_(gain=1)`: the weight viewed as [rows, cols] = [shape[0], rest] is the Q factor of a
///   standard normal matrix (transposed when rows < cols), with R's diagonal made positive: its rows are orthonormal
///   when rows ≤ cols (W·Wᵀ = I), else its columns are (Wᵀ·W = I).
///
/// Embeddings (N(0, 1)), normalisation layers (ones and zeros) and learned positional encodings keep their defaults.
public enum InitScheme: String, CaseIterable, Sendable {
    case pytorch, kaiming, xavier, orthogonal
}
