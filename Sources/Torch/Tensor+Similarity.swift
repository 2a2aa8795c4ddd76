import CTorch

extension Tensor {
    /// Linear CKA (biased HSIC) of `self` x: [n, p] against `other` y: [n, q], ⟨Kc, Lc⟩ / sqrt(⟨Kc, Kc⟩⟨Lc, Lc⟩ + ε)
    /// with Kc = XcXcᵀ, Lc = YcYcᵀ of the column-centred activations; a 0-dim tensor of x's dtype.
    ///
    /// One fused autograd node with the closed-form gradient in x (cheaper than autograd through the composite ops:
    /// one n×n·n×p product instead of two, one graph node instead of a dozen). y is treated as a constant and must
    /// not require grad (a frozen guide's activations). `gramForm` picks the n×n Gram matrices, else the p×q, p×p,
    /// q×q feature products; both give the same value. First order only: the gradient it produces carries no graph,
    /// so a second differentiation (`gradients(of:withRespectTo:createGraph: true)` through it) sees a constant.
    public func linearCKA(_ other: Tensor, gramForm: Bool, epsilon: Double) throws -> Tensor {
        try withExtendedLifetime(other) {
            try make("linearCKA") { tt_linear_cka(handle, other.handle, gramForm ? 1 : 0, epsilon, $0) }
        }
    }
}

extension Tensor {
    /// Linear CKA of `self` x: [n, p] against a constant, already centred guide Gram matrix `centeredGram` Lc: [n, n]
    /// (Lc = HYYᵀH): ⟨Kc, Lc⟩ / sqrt(⟨Kc, Kc⟩⟨Lc, Lc⟩ + ε) with Kc = XcXcᵀ. The same value and gradient as
    /// `linearCKA(y, gramForm: true, epsilon:)` when Lc is y's centred Gram, without y: the guide cache keeps each
    /// guide tap's example×example Gram matrix and hands the batch's centred block here. One autograd node
    /// (first order only); Lc must not require grad.
    public func linearCKA(centeredGram: Tensor, epsilon: Double) throws -> Tensor {
        try withExtendedLifetime(centeredGram) {
            try make("linearCKA(centeredGram:)") { tt_linear_cka_centered_gram(handle, centeredGram.handle, epsilon, $0) }
        }
    }
}

extension Tensor {
    /// The centred block H·G[rows][:, rows]·H, [n, n], of `self`, a symmetric Gram matrix G: [N, N], for the examples
    /// `rows` (int64 [n], in the batch's order); H = I − 11ᵀ/n. On the CPU one direct loop reads the block's upper
    /// triangle only, so G must be exactly symmetric (`GuideCache` symmetrises its own). No gradient.
    public func centeredGramBlock(rows: Tensor) throws -> Tensor {
        try withExtendedLifetime(rows) {
            try make("centeredGramBlock") { tt_gram_block_centered(handle, rows.handle, $0) }
        }
    }
}
