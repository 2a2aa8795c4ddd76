/// Native MNIST-1D generator (Greydanus 2020; facts in docs/mnist1d.md).
///
/// Per example, with one `SeededRandom` drawn in this fixed order — padding, scale, shift,
/// correlated noise (72 normals), iid noise (72 normals), shear — the class template
/// (label = index mod 10) goes through: + ε (1e-8) → append p zeros (p uniform in
/// [padding_min, padding_max]) → resample to template_length + padding_max (72) → × (1 +
/// scale·(u − ½)) → circular shift right by k (uniform in 0..<max_translation) → exact zeros
/// replaced by correlated noise (σ_noise · N(0,1), Gaussian-filtered σ = 2) → + iid noise → −
/// shear·(u − ½)·linspace(−½, ½) → resample to final_length. Then the examples are shuffled and
/// the whole set is standardized by its global mean and standard deviation.
///
/// Bits differ from the Python package (other random stream), statistics do not.
public struct MNIST1DGenerator: Sendable {
    public var samples = 5000
    public var paddingMin = 36
    public var paddingMax = 60
    public var scaleCoefficient = 0.4
    public var maxTranslation = 48
    public var correlatedNoiseScale = 0.25
    public var correlatedNoiseSigma = 2.0
    public var iidNoiseScale = 0.02
    public var shearScale = 0.75
    public var finalLength = 40
    public var seed: UInt64 = 42

    public init() {}

    /// The ten templates of docs/mnist1d.md, 12 points each, before normalization.
    public static let rawTemplates: [[Double]] = [
        [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
        [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
        [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
        [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
        [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
        [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
        [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
        [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
    ]

    /// Templates standardized (population std), shifted to start at 0, divided by 6.
    public static var templates: [[Double]] {
        rawTemplates.map { t in
            let (mean, std) = SignalOps.meanAndStd(t)
            let z = t.map { ($0 - mean) / std }
            return z.map { ($0 - z[0]) / 6 }
        }
    }

    /// All examples: signals `[samples, finalLength]` (standardized) and labels `[samples]`,
    /// shuffled.
    public func generate() -> (signals: [Float], labels: [Int64]) {
        let templates = Self.templates
        let kernel = SignalOps.gaussianKernel(sigma: correlatedNoiseSigma)
        var rng = SeededRandom(seed: seed)
        var rows = [[Double]]()
        rows.reserveCapacity(samples)
        var labels = [Int64]()
        labels.reserveCapacity(samples)
        for i in 0..<samples {
            let label = i % templates.count
            rows.append(transform(templates[label], kernel: kernel, rng: &rng))
            labels.append(Int64(label))
        }
        // Shuffle examples and labels with one permutation.
        let order = rng.permutation(samples)
        var flat = [Double]()
        flat.reserveCapacity(samples * finalLength)
        for index in order { flat += rows[index] }
        let shuffledLabels = order.map { labels[$0] }
        let (mean, std) = SignalOps.meanAndStd(flat)
        let signals = flat.map { Float(($0 - mean) / std) }
        return (signals, shuffledLabels)
    }

    /// One example from one template, drawing from `rng` in the documented order.
    func transform(_ template: [Double], kernel: [Double], rng: inout SeededRandom) -> [Double] {
        let workLength = template.count + paddingMax
        let padding = rng.int(in: paddingMin...paddingMax)
        var x = template.map { $0 + 1e-8 } + [Double](repeating: 0, count: padding)
        x = SignalOps.resample(x, to: workLength)
        let scale = 1 + scaleCoefficient * (rng.uniform() - 0.5)
        x = x.map { $0 * scale }
        let shift = rng.int(below: maxTranslation) % workLength
        x = Array(x[(workLength - shift)...] + x[..<(workLength - shift)])
        let correlated = SignalOps.filter((0..<workLength).map { _ in correlatedNoiseScale * rng.normal() }, kernel: kernel)
        for i in 0..<workLength where x[i] == 0 { x[i] = correlated[i] }
        for i in 0..<workLength { x[i] += iidNoiseScale * rng.normal() }
        let shear = shearScale * (rng.uniform() - 0.5)
        for i in 0..<workLength { x[i] -= shear * (-0.5 + Double(i) / Double(workLength - 1)) }
        return SignalOps.resample(x, to: finalLength)
    }
}
