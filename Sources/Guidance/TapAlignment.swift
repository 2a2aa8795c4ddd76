public import Models
public import Sweep
public import Torch

/// The resolved guide → target tap pairs of one job and the guidance loss over them:
/// Σ_pairs (1 − similarity(target tap, guide tap)), summed, not averaged (method.md §1).
public struct TapAlignment {
    public let pairs: [TapPairing]
    public let guideNames: [String]
    public let targetNames: [String]
    public let measure: SimilarityMeasure
    public let epsilon: Double
    public let epsilonMode: GuidanceConfig.EpsilonMode
    /// How each pair's taps are read out (`TapReadout`).
    public let readout: GuidanceConfig.Readout

    /// Resolves `mapping` against the taps the two models expose. Throws before training when an explicit pair names
    /// a tap that does not exist, listing the ones that do.
    public init(guide: [String], target: [String], mapping: LayerMapping, measure: SimilarityMeasure, epsilon: Double,
                epsilonMode: GuidanceConfig.EpsilonMode = .insideSqrt, readout: GuidanceConfig.Readout = .flat) throws {
        guideNames = guide
        targetNames = target
        self.measure = measure
        self.epsilon = epsilon
        self.epsilonMode = epsilonMode
        self.readout = readout
        switch mapping {
        case .auto:
            pairs = EvenSpacing.pairs(guideTaps: guide.count, targetTaps: target.count)
        case .explicit(let explicit):
            pairs = try explicit.map { pair in
                TapPairing(guide: try Self.resolve(pair.guide, in: guide, role: "guide"),
                           target: try Self.resolve(pair.target, in: target, role: "target"))
            }
        }
        guard !pairs.isEmpty else {
            throw GuidanceError.configuration("no tap pairs: the guide has \(guide.count) taps and the target \(target.count)")
        }
    }

    static func resolve(_ ref: TapRef, in names: [String], role: String) throws -> Int {
        switch ref {
        case .index(let i):
            guard names.indices.contains(i) else {
                throw GuidanceError.configuration("mapping names \(role) tap \(i), but the \(role) has taps 0..<\(names.count)")
            }
            return i
        case .name(let name):
            guard let i = names.firstIndex(of: name) else {
                throw GuidanceError.configuration("mapping names \(role) tap \"\(name)\", which does not exist; \(role) taps: \(names.joined(separator: ", "))")
            }
            return i
        }
    }

    /// The pairs by tap name, for the record.
    public var named: [TapPair] { pairs.map { TapPair(guide: guideNames[$0.guide], target: targetNames[$0.target]) } }

    /// Σ (1 − sim) over the pairs, each read out as `readout` says; differentiable in the target's activations. Guide
    /// activations should come from a no-grad forward pass. Paddings (bool [N, T], true at padding) of the target's
    /// and the guide's inputs matter to the token and pooled readouts only.
    public func loss(target: [Tensor], guide: [Tensor], targetPadding: Tensor? = nil, guidePadding: Tensor? = nil) throws -> Tensor {
        var total: Tensor?
        for pair in pairs {
            let term = try TapReadout.term(readout, target: target[pair.target], guide: guide[pair.guide],
                                           targetPadding: targetPadding, guidePadding: guidePadding) {
                try measure($0, $1, epsilon: epsilon, epsilonMode: epsilonMode)
            }
            total = try total.map { try $0 + term } ?? term
        }
        return total!
    }

    /// Σ (1 − sim) over the pairs with the guide's side from a `GuideCache` (`guide`: guide tap index → side) instead
    /// of its activations: the same terms as `loss(target:guide:)`, up to float rounding. Flat readout only (the cache
    /// keeps flattened rows; jobs with another readout bypass it). The pairs that read a centred Gram block are summed
    /// together (`SimilarityMeasure.linearCKASum`, one autograd node in the fused op's form): their part is
    /// count − Σ sim.
    func loss(target: [Tensor], cached guide: [Int: GuideCache.Side]) throws -> Tensor {
        guard readout == .flat else { throw GuidanceError.configuration("readout \(readout.rawValue) cannot read a guide cache") }
        var total: Tensor?
        var grams: [(x: Tensor, centeredGram: Tensor, rowOrder: Tensor?)] = []
        for pair in pairs {
            switch guide[pair.guide]! {
            case .activations(let y):
                let term = try 1.0 - measure(target[pair.target], y, epsilon: epsilon, epsilonMode: epsilonMode)
                total = try total.map { try $0 + term } ?? term
            case .centeredGram(let lc, let order):
                grams.append((target[pair.target], lc, order))
            }
        }
        if !grams.isEmpty {
            let part = try Double(grams.count) - SimilarityMeasure.linearCKASum(grams, epsilon: epsilon, mode: epsilonMode)
            total = try total.map { try $0 + part } ?? part
        }
        return total!
    }
}

/// A job cannot run as configured, found before training starts.
public enum GuidanceError: Error, CustomStringConvertible, Sendable {
    case configuration(String)
    case guideCheckpoint(String)

    public var description: String {
        switch self {
        case .configuration(let message): "configuration: \(message)"
        case .guideCheckpoint(let message): "guide checkpoint: \(message)"
        }
    }
}
