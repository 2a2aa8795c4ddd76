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
    /// guide tap's example×example Gram matrix and hands the batch's centred block here. `rowOrder` (int64 [n], from
    /// `centeredGramBlock`): Lc's rows are x's rows in this order (nil: x's own order); CKA is invariant under
    /// permuting both sides alike, and the gradient comes back in x's order. One autograd node (first order only);
    /// Lc must not require grad.
    public func linearCKA(centeredGram: Tensor, rowOrder: Tensor? = nil, epsilon: Double) throws -> Tensor {
        try Tensor.linearCKASum([(self, centeredGram, rowOrder)], epsilon: epsilon)
    }

    /// Σ_t linear CKA of each term's x_t: [n_t, p_t] against its centred guide Gram Lc_t: [n_t, n_t] with its row order,
    /// as `linearCKA(centeredGram:rowOrder:epsilon:)` term by term, summed: a 0-dim tensor, one autograd node for all
    /// the terms (a guided step's terms from a guide cache, instead of a node per term plus the nodes that sum them).
    /// At least one term.
    public static func linearCKASum(_ terms: [(x: Tensor, centeredGram: Tensor, rowOrder: Tensor?)], epsilon: Double) throws -> Tensor {
        try withExtendedLifetime(terms.map { [$0.x, $0.centeredGram] + ($0.rowOrder.map { [$0] } ?? []) }) {
            let xs: [tt_tensor?] = terms.map { $0.x.handle }, grams: [tt_tensor?] = terms.map { $0.centeredGram.handle }
            let orders: [tt_tensor?] = terms.map { $0.rowOrder?.handle }
            return try xs.withUnsafeBufferPointer { x in
                try grams.withUnsafeBufferPointer { g in
                    try orders.withUnsafeBufferPointer { o in
                        try make("linearCKASum") {
                            tt_linear_cka_centered_gram(x.baseAddress, g.baseAddress, o.baseAddress, Int64(terms.count), epsilon, $0)
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// The centred block H·G[r][:, r]·H, [n, n], of `self`, a symmetric Gram matrix G: [N, N], for the examples
    /// `rows` (int64 [n], in the batch's order); H = I − 11ᵀ/n. On the CPU the block's rows and columns come in
    /// ascending order of `rows` (r = rows[order]) and `order` gives the batch positions in that order (int64 [n]):
    /// reading G's rows forwards is what makes the gather fast; pass `order` on to `linearCKA(centeredGram:rowOrder:)`.
    /// Only the upper triangle is read, so G must be exactly symmetric (`GuideCache` symmetrises its own). On other
    /// devices the block is in the batch's order and `order` is nil. No gradient.
    public func centeredGramBlock(rows: Tensor) throws -> (gram: Tensor, order: Tensor?) {
        try withExtendedLifetime(rows) {
            var gram: tt_tensor?, order: tt_tensor?
            try check("centeredGramBlock", tt_gram_block_centered(handle, rows.handle, &gram, &order))
            return (Tensor(owning: gram!), order.map { Tensor(owning: $0) })
        }
    }
}
