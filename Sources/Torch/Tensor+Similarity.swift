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
