import Foundation
public import Models
import NN
import Sweep
public import Tasks
import Torch

/// The frozen guide's side of the similarity terms for every training example, computed once (issue 13).
///
/// A frozen guide in eval mode maps each training example to the same activations at every step, so its forward
/// pass (and, for linear CKA in the Gram form, its n×n·q Gram products) can be done once per example instead of
/// once per step. Each guide tap the mapping uses is kept in one of two forms (`Representation`):
/// - `activations`: the tap's rows, [N, q] for the N training examples, as the uncached forward pass gives them;
///   a step gathers its batch's rows (n·q copies) and measures them as before. Any similarity measure.
/// - `gram`: the example×example Gram matrix G = ÃÃᵀ, [N, N], of the activations Ã centred by their mean over the
///   training split; a step gathers its batch's block and centres it (HGH, O(n²)), which is exactly the batch's
///   centred Gram Lc = YcYcᵀ (centring rows by any common vector leaves HYYᵀH unchanged), instead of an n²·q
///   product. Linear CKA in the Gram form only. The global centring keeps the float32 Gram free of the
///   cancellation an uncentred Gram would suffer when the activations' mean is large against their spread.
/// Which form each tap takes is a cost and memory choice (`GuideCacheCostModel`); the record's `guide_cache.taps`
/// says which.
///
/// Everything is kept in the guide's dtype on the training device. A cached step gives the uncached step's loss up to
/// float rounding (different batch shapes in the guide's forward, a different summation order in the Gram): see
/// `GuideCacheTests` for the tolerance.
public final class GuideCache: @unchecked Sendable {
    /// How one guide tap is kept.
    public enum Representation: String, Sendable, Hashable, Codable {
        case activations, gram
    }

    /// Which guide taps are kept, in which form, and the bytes that takes. Computed before anything is built.
    public struct Plan: Hashable, Sendable {
        /// Guide tap index → representation, for the taps the pairs use.
        public var taps: [Int: Representation]
        /// Bytes the cache will hold once built.
        public var bytes: Int
        /// Training examples N.
        public var examples: Int
    }

    /// The per-step guide side of one tap.
    enum Side {
        /// [n, q]: the batch's rows of the tap.
        case activations(Tensor)
        /// [n, n]: the batch's centred Gram matrix HYYᵀH, its rows in the batch's order or, where `order` (int64 [n])
        /// is given, the batch's rows in that order (`Tensor.centeredGramBlock`).
        case centeredGram(Tensor, order: Tensor?)
    }

    public let plan: Plan
    /// Seconds the guide's forward passes and Gram products took.
    public let buildSeconds: Double
    /// Tap index → [N, q] activations or [N, N] Gram matrix.
    private let stored: [Int: Tensor]

    private init(plan: Plan, stored: [Int: Tensor], buildSeconds: Double) {
        self.plan = plan
        self.stored = stored
        self.buildSeconds = buildSeconds
    }

    /// Chooses each used guide tap's form within `budgetBytes` by `costs` (`GuideCacheCostModel.choose`), or says
    /// why nothing can be cached. The Gram form is allowed for a tap where the measure is linear CKA and every pair
    /// reading it would use the Gram form uncached (`SimilarityMeasure.usesGramForm`).
    /// - Parameters: `guideWidths`, `targetWidths`: flattened features per example of each tap; `batchSize`: n.
    public static func plan(pairs: [TapPairing], guideWidths: [Int], targetWidths: [Int], measure: SimilarityMeasure,
                            batchSize: Int, examples: Int, elementBytes: Int, budgetBytes: Int,
                            costs: GuideCacheCostModel = .measured) -> Result<Plan, Refusal> {
        let taps = Array(Set(pairs.map(\.guide))).sorted().map { tap in
            let readers = pairs.filter { $0.guide == tap }
            return GuideCacheCostModel.Tap(
                index: tap, width: guideWidths[tap], readers: readers.count,
                gramAllowed: measure == .linearCKA
                    && readers.allSatisfy { SimilarityMeasure.usesGramForm(n: batchSize, p: targetWidths[$0.target], q: guideWidths[tap]) })
        }
        guard let choice = costs.choose(taps, batchSize: batchSize, examples: examples, elementBytes: elementBytes,
                                        budgetBytes: budgetBytes) else {
            let smallest = taps.reduce(0) { total, tap in
                let activations = GuideCacheCostModel.bytes(tap, as: .activations, examples: examples, elementBytes: elementBytes)
                let gram = GuideCacheCostModel.bytes(tap, as: .gram, examples: examples, elementBytes: elementBytes)
                return total + (tap.gramAllowed ? Swift.min(activations, gram) : activations)
            }
            return .failure(Refusal("the guide taps for \(examples) examples need at least \(mebibytes(smallest)), more than the cache budget of \(mebibytes(budgetBytes))"))
        }
        return .success(Plan(taps: choice.forms, bytes: choice.bytes, examples: examples))
    }

    /// Runs the guide (eval mode, no gradient) over `split` in its stored order in batches of `batchSize`, and keeps
    /// each planned tap in its planned form. Row i of the cache is example i of the split.
    public static func build(guide: Model, split: Split, data: TaskData, plan: Plan, batchSize: Int = 256) throws -> GuideCache {
        let start = Date()
        let wasTraining = guide.isTraining
        guide.eval()
        defer { guide.train(wasTraining) }
        let stored: [Int: Tensor] = try Torch.withNoGrad {
            var rows: [Int: [Tensor]] = [:]
            for host in split.evaluationBatches(size: Swift.max(batchSize, 1)) {
                let batch = try data.tensors(host)
                let taps = try guide(batch.model, recordTaps: true).taps!
                for tap in plan.taps.keys {
                    rows[tap, default: []].append(try taps.activations[tap].flatten(start: 1))
                }
            }
            var stored: [Int: Tensor] = [:]
            for (tap, representation) in plan.taps {
                let activations = try Tensor.cat(rows[tap]!, dim: 0)
                rows[tap] = nil
                switch representation {
                case .activations:
                    stored[tap] = activations
                case .gram:
                    let centred = try activations - activations.mean(dim: 0, keepDim: true)
                    let gram = try centred.matmul(centred.transpose(0, 1))
                    // Exactly symmetric (a general product need not be to the last bit): a step reads only the
                    // block's upper triangle (`Tensor.centeredGramBlock`).
                    stored[tap] = try (gram + gram.transpose(0, 1)) * 0.5
                }
            }
            return stored
        }
        return GuideCache(plan: plan, stored: stored, buildSeconds: Date().timeIntervalSince(start))
    }

    /// The guide side of the cached `taps` (all when nil) for the training examples at `indices` (int64 [n] on the
    /// cache's device).
    ///
    /// A Gram block is gathered and centred by one op (`Tensor.centeredGramBlock`, a direct loop on the CPU):
    /// `indexSelect` along dimension 1 copies column by column (~10 µs each), and a flat `indexSelect` of the n²
    /// positions paid ~0.6 ms per 256×256 block, about what the guide's forward pass cost for these taps.
    func sides(indices: Tensor, taps: Set<Int>? = nil) throws -> [Int: Side] {
        try Torch.withNoGrad {
            var sides: [Int: Side] = [:]
            for (tap, representation) in plan.taps where taps?.contains(tap) ?? true {
                let values = stored[tap]!
                switch representation {
                case .activations:
                    sides[tap] = .activations(try values.indexSelect(dim: 0, indices))
                case .gram:
                    let block = try values.centeredGramBlock(rows: indices)
                    sides[tap] = .centeredGram(block.gram, order: block.order)
                }
            }
            return sides
        }
    }

    /// Why a guide cache was not used.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    static func mebibytes(_ bytes: Int) -> String { GuideCacheStatistics.mebibytes(bytes) }
}
