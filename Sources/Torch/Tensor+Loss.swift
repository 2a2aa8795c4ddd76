import CTorch

/// How a loss combines its per-element values.
public enum Reduction: Int32, Sendable {
    case none = 0, mean = 1, sum = 2
}

/// Target index whose positions a classification loss ignores (PyTorch's default).
public let defaultIgnoreIndex = -100

extension Tensor {
    /// Cross-entropy of logits `self` ([N, C] or [N, C, d...]) against class indices `target` ([N] or [N, d...],
    /// int64). Positions whose target is `ignoreIndex` are skipped and excluded from the mean.
    public func crossEntropy(_ target: Tensor, ignoreIndex: Int = defaultIgnoreIndex, reduction: Reduction = .mean,
                             labelSmoothing: Double = 0) throws -> Tensor {
        try withExtendedLifetime(target) {
            try make("crossEntropy") {
                tt_cross_entropy(handle, target.handle, Int64(ignoreIndex), reduction.rawValue, labelSmoothing, $0)
            }
        }
    }

    /// Negative log-likelihood of log-probabilities `self` against class indices.
    public func nllLoss(_ target: Tensor, ignoreIndex: Int = defaultIgnoreIndex, reduction: Reduction = .mean) throws -> Tensor {
        try withExtendedLifetime(target) {
            try make("nllLoss") { tt_nll_loss(handle, target.handle, Int64(ignoreIndex), reduction.rawValue, $0) }
        }
    }

    /// Mean squared error between `self` and `target`.
    public func mseLoss(_ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try withExtendedLifetime(target) { try make("mseLoss") { tt_mse_loss(handle, target.handle, reduction.rawValue, $0) } }
    }

    /// KL(target ‖ input) where `self` holds log-probabilities and `target` probabilities (or log-probabilities
    /// when `logTarget`). `batchMean` divides the sum by the batch size (dimension 0), the mathematically correct
    /// KL per example, as PyTorch's `reduction='batchmean'`.
    public func klDiv(_ target: Tensor, batchMean: Bool = true, reduction: Reduction = .mean,
                      logTarget: Bool = false) throws -> Tensor {
        try withExtendedLifetime(target) {
            try make("klDiv") {
                tt_kl_div(handle, target.handle, batchMean ? 3 : reduction.rawValue, logTarget ? 1 : 0, $0)
            }
        }
    }
}
