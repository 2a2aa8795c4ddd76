import CTorch

extension Tensor {
    /// Backpropagates from this tensor (a scalar unless `gradient` is given), accumulating into the `.grad` of
    /// every leaf that requires grad. `retainGraph` keeps the graph for another backward pass.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try withExtendedLifetime(gradient) {
            try check("backward", tt_backward(handle, gradient?.handle, retainGraph ? 1 : 0))
        }
    }

    /// The accumulated gradient of a leaf, or nil when none has been computed (or it was zeroed).
    public var grad: Tensor? {
        var out: tt_tensor?
        guard tt_grad(handle, &out) == 0, let h = out else { return nil }
        return Tensor(owning: h)
    }

    /// Drops the accumulated gradient (PyTorch's `set_to_none=True`).
    public func zeroGrad() throws { try check("zeroGrad", tt_zero_grad(handle)) }

    /// Gradients of scalar `output` with respect to each of `inputs` (nil for an input it does not depend on).
    /// `createGraph` records the computation for higher-order derivatives.
    public static func gradients(of output: Tensor, withRespectTo inputs: [Tensor],
                                 createGraph: Bool = false) throws -> [Tensor?] {
        try withExtendedLifetime((output, inputs)) {
            let handles: [tt_tensor?] = inputs.map { $0.handle }
            var results = [tt_tensor?](repeating: nil, count: inputs.count)
            try handles.withUnsafeBufferPointer { inBuf in
                try results.withUnsafeMutableBufferPointer { outBuf in
                    try check("gradients", tt_autograd_grad(output.handle, inBuf.baseAddress, Int64(inputs.count),
                                                            createGraph ? 1 : 0, outBuf.baseAddress))
                }
            }
            return results.map { $0.map { Tensor(owning: $0) } }
        }
    }

    // MARK: in-place updates (run them under `Torch.withNoGrad` on parameters)

    /// self += alpha · other
    public func add_(_ other: Tensor, alpha: Double = 1) throws {
        try withExtendedLifetime(other) { try check("add_", tt_add_(handle, other.handle, alpha)) }
    }
    /// self *= s
    public func mul_(_ s: Double) throws { try check("mul_", tt_mul_scalar_(handle, s)) }
    /// self += s
    public func add_(_ s: Double) throws { try check("add_", tt_add_scalar_(handle, s)) }
    /// self += value · a · b
    public func addcmul_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try withExtendedLifetime((a, b)) { try check("addcmul_", tt_addcmul_(handle, a.handle, b.handle, value)) }
    }
    /// self += value · a / b
    public func addcdiv_(_ a: Tensor, _ b: Tensor, value: Double = 1) throws {
        try withExtendedLifetime((a, b)) { try check("addcdiv_", tt_addcdiv_(handle, a.handle, b.handle, value)) }
    }
    /// self += weight · (end − self)
    public func lerp_(_ end: Tensor, weight: Double) throws {
        try withExtendedLifetime(end) { try check("lerp_", tt_lerp_(handle, end.handle, weight)) }
    }
    /// Copies `source`'s values (broadcast, converted) into self.
    public func copy_(_ source: Tensor) throws {
        try withExtendedLifetime(source) { try check("copy_", tt_copy_(handle, source.handle)) }
    }
    public func fill_(_ value: Double) throws { try check("fill_", tt_fill_(handle, value)) }
    public func zero_() throws { try check("zero_", tt_zero_(handle)) }

    /// One fused Adam (L2 weight decay) or AdamW (decoupled weight decay) update of this parameter, in place,
    /// with bias correction for `step` (counting from 1), as `torch.optim.Adam`/`AdamW` do.
    public func adamStep(grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, step: Int, lr: Double, beta1: Double,
                         beta2: Double, eps: Double, weightDecay: Double, decoupled: Bool) throws {
        try withExtendedLifetime((grad, expAvg, expAvgSq)) {
            try check("adamStep", tt_adam_step(handle, grad.handle, expAvg.handle, expAvgSq.handle, Int64(step), lr,
                                               beta1, beta2, eps, weightDecay, decoupled ? 1 : 0))
        }
    }

    /// Scales `gradients` in place so their total L2 norm is at most `maxNorm` (as
    /// `torch.nn.utils.clip_grad_norm_`); returns the total norm before clipping.
    @discardableResult
    public static func clipGradNorm(_ gradients: [Tensor], maxNorm: Double) throws -> Double {
        try withExtendedLifetime(gradients) {
            let handles: [tt_tensor?] = gradients.map { $0.handle }
            var total = 0.0
            try handles.withUnsafeBufferPointer { b in
                try check("clipGradNorm", tt_clip_grad_norm(b.baseAddress, Int64(b.count), maxNorm, &total))
            }
            return total
        }
    }
}
