public import Sweep
public import Torch

/// A differentiable representational similarity between two sets of activations of the same n examples.
///
/// Inputs are X: [n, p] (target) and Y: [n, q] (guide), one row per example; callers flatten each tap per example
/// (conv maps to C·H·W, sequences to T·D). Every measure returns a 0-dimensional tensor, 1 for identical
/// representations (up to the measure's invariances), computed in the inputs' dtype, and differentiable in X.
///
/// Degenerate inputs (a constant layer, whose centred activations are all zero) give a finite value instead of the
/// reference's NaN. Where ε = `epsilon` (default 1e-8) sits is `epsilonMode`:
/// - `inside-sqrt` (the default, ours from the start): every normaliser is `sqrt(v + ε)`; linear CKA =
///   ⟨Kc, Lc⟩ / sqrt(⟨Kc, Kc⟩·⟨Lc, Lc⟩ + ε) (b·c is the product of the two squared Frobenius norms). This changes
///   the value by a relative ~ε/(2·b·c), negligible unless the activations themselves are ~1e-4 or smaller.
/// - `outside`: `sqrt(v) + ε`; linear CKA = ⟨Kc, Lc⟩ / (‖Kc‖·‖Lc‖ + ε), as implementations that add ε to the
///   product of norms do (the root's argument is floored at the smallest normal float so that a constant layer's
///   gradient is 0, not 0·∞). Linear CKA then goes through composite ops instead of the fused one (slower).
/// The same rule applies to kernel CKA's normaliser and to RSA's (row norms of the cosine matrices and the
/// correlation's denominator). Either way the gradient at a constant layer is exactly zero rather than NaN.
public enum SimilarityMeasure: Sendable, Equatable {
    /// Linear CKA with the biased HSIC estimator (Kornblith et al. 2019; the paper's and reference's measure).
    case linearCKA
    /// Linear CKA with the unbiased HSIC estimator (Song et al. 2012; Nguyen et al. 2021), which removes the
    /// upward bias of linear CKA at small batch sizes. Needs n ≥ 4.
    case debiasedCKA
    /// CKA with Gaussian (RBF) kernels of width σ = `sigma` × √(median squared pairwise distance), as Kornblith
    /// et al.'s `gram_rbf(x, threshold)`.
    case rbfCKA(sigma: Double)
    /// Representational similarity analysis: Pearson correlation of the off-diagonal entries of the two
    /// cosine-similarity matrices.
    case rsa

    public var name: String {
        switch self {
        case .linearCKA: "linear-cka"
        case .debiasedCKA: "debiased-cka"
        case .rbfCKA: "rbf-cka"
        case .rsa: "rsa"
        }
    }

    /// Parses "linear-cka", "debiased-cka", "rbf-cka" (with `sigma`) or "rsa".
    public init?(name: String, sigma: Double = 0.8) {
        switch name {
        case "linear-cka": self = .linearCKA
        case "debiased-cka": self = .debiasedCKA
        case "rbf-cka": self = .rbfCKA(sigma: sigma)
        case "rsa": self = .rsa
        default: return nil
        }
    }

    /// The similarity of x [n, p] and y [n, q]; activations of higher rank are flattened per example.
    public func callAsFunction(_ x: Tensor, _ y: Tensor, epsilon: Double = 1e-8,
                               epsilonMode: GuidanceConfig.EpsilonMode = .insideSqrt) throws -> Tensor {
        let x = try x.rank == 2 ? x : x.flatten(start: 1)
        let y = try y.rank == 2 ? y : y.flatten(start: 1)
        let n = x.size(0)
        guard y.size(0) == n else {
            throw TorchError(name, "both activations need the same examples: \(n) rows vs \(y.size(0))")
        }
        switch self {
        case .linearCKA: return try Self.linearCKA(x, y, epsilon: epsilon, mode: epsilonMode)
        case .debiasedCKA:
            guard n >= 4 else { throw TorchError(name, "needs at least 4 examples, got \(n)") }
            return try Self.kernelCKA(Self.gramLinear(x), Self.gramLinear(y), unbiased: true, epsilon: epsilon, mode: epsilonMode)
        case .rbfCKA(let sigma):
            return try Self.kernelCKA(Self.gramRBF(x, sigma: sigma), Self.gramRBF(y, sigma: sigma), unbiased: false,
                                      epsilon: epsilon, mode: epsilonMode)
        case .rsa: return try Self.rsa(x, y, epsilon: epsilon, mode: epsilonMode)
        }
    }

    /// sqrt(v + ε) (`inside-sqrt`) or sqrt(max(v, smallest normal float)) + ε (`outside`).
    static func root(_ v: Tensor, epsilon: Double, mode: GuidanceConfig.EpsilonMode) throws -> Tensor {
        switch mode {
        case .insideSqrt: try (v + epsilon).sqrt()
        case .outside: try v.clamp(min: Double(Float.leastNormalMagnitude)).sqrt() + epsilon
        }
    }

    // MARK: linear CKA

    /// ⟨Kc, Lc⟩ / sqrt(⟨Kc, Kc⟩⟨Lc, Lc⟩ + ε) with Kc = XcXcᵀ, Lc = YcYcᵀ (column-centred X, Y). Uses the feature form
    /// ‖YcᵀXc‖² / (‖XcᵀXc‖ ‖YcᵀYc‖) when that is cheaper (p, q small against n), else the n×n Gram form.
    ///
    /// When y needs no gradient (a frozen guide's taps, the training case) this is the fused op
    /// `Tensor.linearCKA`, which gives the same value and the closed-form gradient in one autograd node (first order
    /// only); otherwise (gradients wanted in both arguments) autograd runs through the composite ops below.
    static func linearCKA(_ x: Tensor, _ y: Tensor, epsilon: Double, mode: GuidanceConfig.EpsilonMode = .insideSqrt) throws -> Tensor {
        let gramForm = usesGramForm(n: x.size(0), p: x.size(1), q: y.size(1))
        if !y.requiresGrad, mode == .insideSqrt { return try x.linearCKA(y, gramForm: gramForm, epsilon: epsilon) }
        return try composedLinearCKA(x, y, gramForm: gramForm, epsilon: epsilon, mode: mode)
    }

    /// Σ linear CKA of each term's x [n, p] (flattened past the batch dimension) against a constant centred guide Gram
    /// matrix Lc [n, n] (the guide cache's side), whose rows are x's rows in `rowOrder` (int64 [n]) when given: a 0-dim
    /// tensor. With ε inside the square root all the terms are one fused autograd node (`Tensor.linearCKASum`);
    /// otherwise each term goes through the composite ops.
    static func linearCKASum(_ terms: [(x: Tensor, centeredGram: Tensor, rowOrder: Tensor?)], epsilon: Double,
                             mode: GuidanceConfig.EpsilonMode) throws -> Tensor {
        let flat = try terms.map { (x: try $0.x.rank == 2 ? $0.x : $0.x.flatten(start: 1), centeredGram: $0.centeredGram, rowOrder: $0.rowOrder) }
        if mode == .insideSqrt { return try Tensor.linearCKASum(flat, epsilon: epsilon) }
        var total: Tensor?
        for term in flat {
            let x = try term.rowOrder.map { try term.x.indexSelect(dim: 0, $0) } ?? term.x
            let xc = try x - x.mean(dim: 0, keepDim: true)
            let kc = try xc.matmul(xc.transpose(0, 1)), lc = term.centeredGram
            let similarity = try (kc * lc).sum() / root((kc * kc).sum() * (lc * lc).sum(), epsilon: epsilon, mode: mode)
            total = try total.map { try $0 + similarity } ?? similarity
        }
        guard let total else { throw GuidanceError.configuration("linear CKA against centred Grams needs at least one term") }
        return total
    }

    /// Whether linear CKA of x [n, p] and y [n, q] takes the n×n Gram form (n²·(p + q) multiply-adds for K and L)
    /// rather than the feature form (n·(pq + p² + q²) for XcᵀYc, XcᵀXc, YcᵀYc).
    public static func usesGramForm(n: Int, p: Int, q: Int) -> Bool { n * (p + q) <= p * q + p * p + q * q }

    /// Linear CKA through composite ops (autograd differentiates it in both arguments).
    static func composedLinearCKA(_ x: Tensor, _ y: Tensor, gramForm: Bool, epsilon: Double,
                                  mode: GuidanceConfig.EpsilonMode = .insideSqrt) throws -> Tensor {
        let xc = try x - x.mean(dim: 0, keepDim: true)
        let yc = try y - y.mean(dim: 0, keepDim: true)
        let a: Tensor, b: Tensor, c: Tensor
        if gramForm {
            // Gram form: n×n matrices (already centred, since HXXᵀH = XcXcᵀ).
            let k = try xc.matmul(xc.transpose(0, 1))
            let l = try yc.matmul(yc.transpose(0, 1))
            a = try (k * l).sum()
            b = try (k * k).sum()
            c = try (l * l).sum()
        } else {
            let xty = try xc.transpose(0, 1).matmul(yc)  // [p, q]
            let xtx = try xc.transpose(0, 1).matmul(xc)  // [p, p]
            let yty = try yc.transpose(0, 1).matmul(yc)  // [q, q]
            a = try xty.square().sum()
            b = try xtx.square().sum()
            c = try yty.square().sum()
        }
        return try a / root(b * c, epsilon: epsilon, mode: mode)
    }

    // MARK: kernel CKA (Kornblith et al.'s `cka` with `center_gram`)

    static func gramLinear(_ x: Tensor) throws -> Tensor { try x.matmul(x.transpose(0, 1)) }

    /// exp(−d² / (2 σ² median(d²))) with d² the squared pairwise distances (the median over all n² entries,
    /// diagonal included, as `np.median` in the reference).
    static func gramRBF(_ x: Tensor, sigma: Double) throws -> Tensor {
        let dot = try x.matmul(x.transpose(0, 1))
        let squaredNorms = try x.square().sum(dim: 1)
        let distances = try (squaredNorms.unsqueeze(dim: 1) + squaredNorms.unsqueeze(dim: 0) - 2.0 * dot).clamp(min: 0)
        let median = try Torch.withNoGrad { try Self.median(distances) }
        return try (-1.0 * distances / (2 * sigma * sigma * Swift.max(median, 1e-12))).exp()
    }

    /// The median of all elements as NumPy defines it (mean of the two middle values for an even count).
    static func median(_ t: Tensor) throws -> Double {
        let sorted = try t.flatten().sort().values
        let count = sorted.count
        let upper = try sorted.select(dim: 0, index: count / 2).item()
        if count % 2 == 1 { return upper }
        return (upper + (try sorted.select(dim: 0, index: count / 2 - 1).item())) / 2
    }

    /// Centres a Gram matrix: H K H (biased), or the unbiased centring of Kornblith et al. (zero diagonal, means over
    /// n−2, corrected by Σmeans/(2(n−1))) whose Frobenius inner products are proportional to the unbiased HSIC.
    static func centerGram(_ k: Tensor, unbiased: Bool) throws -> Tensor {
        let n = k.size(0)
        if !unbiased {
            let rowMeans = try k.mean(dim: 0, keepDim: true)
            let colMeans = try k.mean(dim: 1, keepDim: true)
            return try k - rowMeans - colMeans + k.mean()
        }
        let offDiagonal = try Tensor.eye(n, dtype: .bool, device: k.device).logicalNot()
        let zeroed = try k * offDiagonal.to(k.dtype)
        var means = try zeroed.sum(dim: 0) / Double(n - 2)
        means = try means - means.sum() / Double(2 * (n - 1))
        let centred = try zeroed - means.unsqueeze(dim: 1) - means.unsqueeze(dim: 0)
        return try centred * offDiagonal.to(k.dtype)
    }

    static func kernelCKA(_ k: Tensor, _ l: Tensor, unbiased: Bool, epsilon: Double,
                          mode: GuidanceConfig.EpsilonMode = .insideSqrt) throws -> Tensor {
        let kc = try centerGram(k, unbiased: unbiased)
        let lc = try centerGram(l, unbiased: unbiased)
        let hsic = try (kc * lc).sum()
        // The unbiased self-terms can dip below zero at tiny n; clamp so the root stays real.
        let normalizer = try ((kc * kc).sum() * (lc * lc).sum()).clamp(min: 0)
        return try hsic / root(normalizer, epsilon: epsilon, mode: mode)
    }

    // MARK: RSA

    /// Both cosine matrices are symmetric, so correlating all off-diagonal entries (each pair twice) equals
    /// correlating the upper triangle.
    static func rsa(_ x: Tensor, _ y: Tensor, epsilon: Double, mode: GuidanceConfig.EpsilonMode = .insideSqrt) throws -> Tensor {
        func cosineMatrix(_ a: Tensor) throws -> Tensor {
            let unit = try a / root(a.square().sum(dim: 1, keepDim: true), epsilon: epsilon, mode: mode)
            return try unit.matmul(unit.transpose(0, 1))
        }
        let n = x.size(0)
        let offDiagonal = try 1.0 - Tensor.eye(n, dtype: x.dtype, device: x.device)
        let count = Double(n * (n - 1))
        let sx = try cosineMatrix(x), sy = try cosineMatrix(y)
        let dx = try (sx - (sx * offDiagonal).sum() / count) * offDiagonal
        let dy = try (sy - (sy * offDiagonal).sum() / count) * offDiagonal
        return try (dx * dy).sum() / root(dx.square().sum() * dy.square().sum(), epsilon: epsilon, mode: mode)
    }
}
