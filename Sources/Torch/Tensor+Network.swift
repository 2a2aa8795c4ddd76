import CTorch

/// Functional building blocks of neural networks (shapes as PyTorch's `torch.nn.functional`).
extension Tensor {
    /// Matrix product with broadcasting (`torch.matmul`).
    public func matmul(_ other: Tensor) throws -> Tensor {
        try withExtendedLifetime(other) { try make("matmul") { tt_matmul(handle, other.handle, $0) } }
    }

    /// `x·wᵀ + b` for x: [..., in], weight: [out, in], bias: [out] → [..., out].
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        try withExtendedLifetime((weight, bias)) {
            try make("linear") { tt_linear(handle, weight.handle, bias?.handle, $0) }
        }
    }

    /// 1-D convolution. x: [N, Cin, L], weight: [Cout, Cin/groups, K], bias: [Cout] → [N, Cout, L'].
    public func conv1d(weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                       groups: Int = 1) throws -> Tensor {
        try conv(weight: weight, bias: bias, stride: [stride], padding: [padding], dilation: [dilation], groups: groups, "conv1d")
    }

    /// 2-D convolution. x: [N, Cin, H, W], weight: [Cout, Cin/groups, KH, KW] → [N, Cout, H', W'].
    public func conv2d(weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                       dilation: (Int, Int) = (1, 1), groups: Int = 1) throws -> Tensor {
        try conv(weight: weight, bias: bias, stride: [stride.0, stride.1], padding: [padding.0, padding.1],
                 dilation: [dilation.0, dilation.1], groups: groups, "conv2d")
    }

    func conv(weight: Tensor, bias: Tensor?, stride: [Int], padding: [Int], dilation: [Int], groups: Int,
              _ name: StaticString) throws -> Tensor {
        let n = Int64(stride.count)
        return try withExtendedLifetime((weight, bias)) {
            try withInt64Buffer(stride) { s, _ in
                try withInt64Buffer(padding) { p, _ in
                    try withInt64Buffer(dilation) { d, _ in
                        try make(name) { tt_conv(handle, weight.handle, bias?.handle, n, s, p, d, Int64(groups), $0) }
                    }
                }
            }
        }
    }

    /// Max pooling over the last 1 or 2 dimensions (`kernel.count` of them). Stride defaults to the kernel.
    public func maxPool(kernel: [Int], stride: [Int]? = nil, padding: [Int]? = nil, dilation: [Int]? = nil,
                        ceilMode: Bool = false) throws -> Tensor {
        let k = kernel, s = stride ?? kernel, p = padding ?? k.map { _ in 0 }, d = dilation ?? k.map { _ in 1 }
        try Self.checkWindowLists("maxPool", kernel: k, ["stride": s, "padding": p, "dilation": d])
        return try withInt64Buffer(k) { kb, n in
            try withInt64Buffer(s) { sb, _ in
                try withInt64Buffer(p) { pb, _ in
                    try withInt64Buffer(d) { db, _ in
                        try make("maxPool") { tt_max_pool(handle, n, kb, sb, pb, db, ceilMode ? 1 : 0, $0) }
                    }
                }
            }
        }
    }

    /// Average pooling over the last 1 or 2 dimensions. Stride defaults to the kernel.
    public func avgPool(kernel: [Int], stride: [Int]? = nil, padding: [Int]? = nil, ceilMode: Bool = false,
                        countIncludePad: Bool = true) throws -> Tensor {
        let k = kernel, s = stride ?? kernel, p = padding ?? k.map { _ in 0 }
        try Self.checkWindowLists("avgPool", kernel: k, ["stride": s, "padding": p])
        return try withInt64Buffer(k) { kb, n in
            try withInt64Buffer(s) { sb, _ in
                try withInt64Buffer(p) { pb, _ in
                    try make("avgPool") { tt_avg_pool(handle, n, kb, sb, pb, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, $0) }
                }
            }
        }
    }

    /// The shim reads `kernel.count` entries from every list, so a shorter list would be read past its end.
    static func checkWindowLists(_ operation: String, kernel: [Int], _ lists: KeyValuePairs<String, [Int]>) throws {
        for (name, list) in lists where list.count != kernel.count {
            throw TorchError(operation, "\(name) has \(list.count) entries but the kernel has \(kernel.count); give one per pooled dimension")
        }
    }

    /// Adaptive average pooling of the last `outputSize.count` (1 or 2) dimensions to `outputSize`.
    public func adaptiveAvgPool(_ outputSize: [Int]) throws -> Tensor {
        try withInt64Buffer(outputSize) { o, n in try make("adaptiveAvgPool") { tt_adaptive_avg_pool(handle, n, o, $0) } }
    }

    public func adaptiveMaxPool(_ outputSize: [Int]) throws -> Tensor {
        try withInt64Buffer(outputSize) { o, n in try make("adaptiveMaxPool") { tt_adaptive_max_pool(handle, n, o, $0) } }
    }

    /// Batch normalisation over dimension 1 (x: [N, C, ...]). In training mode the batch statistics are used and
    /// `runningMean`/`runningVar` (when given) are updated in place: r ← (1−momentum)·r + momentum·stat, with the
    /// unbiased batch variance, exactly as `torch.nn.functional.batch_norm`. In eval mode the running stats are used.
    public func batchNorm(weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?, training: Bool,
                          momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
        try withExtendedLifetime((weight, bias, runningMean, runningVar)) {
            try make("batchNorm") {
                tt_batch_norm(handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle,
                              training ? 1 : 0, momentum, eps, $0)
            }
        }
    }

    /// Layer normalisation over the trailing dimensions `normalizedShape`.
    public func layerNorm(_ normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        try withExtendedLifetime((weight, bias)) {
            try withInt64Buffer(normalizedShape) { s, n in
                try make("layerNorm") { tt_layer_norm(handle, s, n, weight?.handle, bias?.handle, eps, $0) }
            }
        }
    }

    public func softmax(dim: Int) throws -> Tensor { try make("softmax") { tt_softmax(handle, Int64(dim), $0) } }
    public func logSoftmax(dim: Int) throws -> Tensor { try make("logSoftmax") { tt_log_softmax(handle, Int64(dim), $0) } }

    /// Inverted dropout: zeroes each element with probability `p` and scales the rest by 1/(1−p) when `training`;
    /// identity otherwise. Uses the global generator (seed it with `Torch.manualSeed`).
    public func dropout(_ p: Double, training: Bool) throws -> Tensor {
        try make("dropout") { tt_dropout(handle, p, training ? 1 : 0, $0) }
    }

    /// Rows of the table `self` ([V, D]) picked by `indices` (int64, any shape) → [..., D]. The `paddingIndex` row
    /// gets no gradient; a negative value counts from the end (−1 is row V−1), as in PyTorch. Out-of-range indices
    /// or padding index throw.
    public func embedding(_ indices: Tensor, paddingIndex: Int? = nil) throws -> Tensor {
        // The shim takes -1 for "no padding row", so resolve negative rows here.
        var padding: Int64 = -1
        if let paddingIndex {
            let rows = shape.first ?? 0
            guard paddingIndex >= -rows, paddingIndex < rows else {
                throw TorchError("embedding", "paddingIndex \(paddingIndex) is outside the table's \(rows) rows")
            }
            padding = Int64(paddingIndex < 0 ? paddingIndex + rows : paddingIndex)
        }
        return try withExtendedLifetime(indices) {
            try make("embedding") { tt_embedding(handle, indices.handle, padding, $0) }
        }
    }

    /// One-hot encoding (int64) of int64 indices.
    public func oneHot(classes: Int) throws -> Tensor { try make("oneHot") { tt_one_hot(handle, Int64(classes), $0) } }
}

/// Which recurrent cell `Tensor.recurrent` runs.
public enum RecurrentCell: Int32, Sendable {
    case tanh = 0, lstm = 1
}

extension Tensor {
    /// A multi-layer recurrent network (libtorch's fused `rnn_tanh` / `lstm`, batch first) over self: [N, T, in].
    /// `parameters` holds per layer `w_ih [G·H, in], w_hh [G·H, H]` and, with biases, `b_ih, b_hh [G·H]`
    /// (G = 1 for tanh, 4 for LSTM, gate order i, f, g, o as PyTorch). `h0` (and `c0`): [layers, N, H].
    /// Returns the last layer's outputs at every step [N, T, H] and the final states [layers, N, H].
    public func recurrent(_ cell: RecurrentCell, h0: Tensor, c0: Tensor? = nil, parameters: [Tensor], hasBiases: Bool,
                          layers: Int, dropout: Double = 0, training: Bool = false) throws
        -> (output: Tensor, hidden: Tensor, cell: Tensor?) {
        try withExtendedLifetime((h0, c0, parameters)) {
            let handles: [tt_tensor?] = parameters.map { $0.handle }
            var out: tt_tensor?, hn: tt_tensor?, cn: tt_tensor?
            try handles.withUnsafeBufferPointer { b in
                try check("recurrent", tt_rnn(cell.rawValue, handle, h0.handle, c0?.handle, b.baseAddress, Int64(b.count),
                                              hasBiases ? 1 : 0, Int64(layers), dropout, training ? 1 : 0, &out, &hn, &cn))
            }
            return (Tensor(owning: out!), Tensor(owning: hn!), cn.map { Tensor(owning: $0) })
        }
    }
}
