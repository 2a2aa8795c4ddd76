/// What one guided step pays for the guide's side of one guide tap in each form a guide cache can keep it in, and
/// the choice of forms for a job's taps by that cost within a memory budget (issue 13).
///
/// Per step, with n the batch size, q the tap's width and P the pairs that read the tap:
/// - `activations`: gather the batch's n rows (n·q contiguous copies), then each pair's CKA term forms the guide's
///   centred Gram itself: P products of n²·q/2 multiply-adds (`syrk`), charged per element of n²·q.
/// - `gram`: gather the batch's n×n block of the N×N Gram at random rows and columns and centre it: n² reads, bound
///   by memory latency, once for all the pairs.
/// Memory: N·q elements against N² (N training examples). So a wide tap on a small training set is cheaper and
/// smaller as a Gram matrix, a narrow tap is cheaper as activations, and a large training set may leave room for
/// its Gram matrices for none or a few taps.
public struct GuideCacheCostModel: Hashable, Sendable {
    /// Nanoseconds per element of n²·q for the activations form's n×n Gram (its product: a BLAS `syrk` of n²q/2
    /// multiply-adds on the CPU).
    public var multiplyAddNanoseconds: Double
    /// Nanoseconds per element of an n×n block gathered at random positions of an N×N Gram and centred.
    public var gatheredElementNanoseconds: Double
    /// Nanoseconds per element of the activations' contiguous row gather.
    public var copiedElementNanoseconds: Double

    public init(multiplyAddNanoseconds: Double, gatheredElementNanoseconds: Double, copiedElementNanoseconds: Double) {
        self.multiplyAddNanoseconds = multiplyAddNanoseconds
        self.gatheredElementNanoseconds = gatheredElementNanoseconds
        self.copiedElementNanoseconds = copiedElementNanoseconds
    }

    /// Measured on a 2-core AMD EPYC Zen 3 (OpenBLAS core Zen, one thread), BENCHMARKS.md "Stop 24": gathering and
    /// centring four 256×256 blocks of 3600×3600 Grams takes 0.80–0.92 ms of a guided step (four rows read at once:
    /// ≈ 3.2 ns per block element); the activations form's Gram is one BLAS `syrk`, n²q/2 multiply-adds at the
    /// ≈ 44 G/s plain products reach there, ≈ 0.0114 ns per element of n²·q; row copies run at memory bandwidth
    /// (~0.25 ns per float). Only the ratios matter for the choice: the Gram form wins for taps wider than about
    /// gathered / multiplyAdd ≈ 280 features per reading pair. (Stop 21's figures on a loaded Cooperlake machine,
    /// before `syrk` and the ordered gather: 0.065 and 8 ns, break-even ≈ 120.)
    public static let measured = GuideCacheCostModel(multiplyAddNanoseconds: 0.0114, gatheredElementNanoseconds: 3.2,
                                                     copiedElementNanoseconds: 0.25)

    /// One guide tap as the choice sees it.
    public struct Tap: Hashable, Sendable {
        /// Guide tap index.
        public var index: Int
        /// Flattened features per example, q.
        public var width: Int
        /// Pairs of the mapping that read this tap, P.
        public var readers: Int
        /// Whether every reading pair could take the Gram form (linear CKA, the Gram form chosen for its shapes).
        public var gramAllowed: Bool

        public init(index: Int, width: Int, readers: Int, gramAllowed: Bool) {
            self.index = index
            self.width = width
            self.readers = readers
            self.gramAllowed = gramAllowed
        }
    }

    /// Estimated nanoseconds per step for the guide side of `tap` kept as `representation`, at batch size `n`.
    public func stepNanoseconds(_ tap: Tap, as representation: GuideCache.Representation, batchSize n: Int) -> Double {
        let n = Double(n), q = Double(tap.width)
        switch representation {
        case .activations: return n * q * copiedElementNanoseconds + Double(tap.readers) * n * n * q * multiplyAddNanoseconds
        case .gram: return n * n * gatheredElementNanoseconds
        }
    }

    /// Bytes of `tap` kept as `representation` for `examples` training examples.
    public static func bytes(_ tap: Tap, as representation: GuideCache.Representation, examples: Int, elementBytes: Int) -> Int {
        switch representation {
        case .activations: examples * tap.width * elementBytes
        case .gram: examples * examples * elementBytes
        }
    }

    /// Each tap's form: the smallest allowed form of every tap must fit `budgetBytes` together (else nil: a partial
    /// cache would still need the guide's forward pass every step). Then, while the budget allows, taps move to
    /// their faster form, the largest step time saved per extra byte first (a form that is both faster and smaller
    /// costs no extra bytes and is taken first).
    public func choose(_ taps: [Tap], batchSize: Int, examples: Int, elementBytes: Int,
                       budgetBytes: Int) -> (forms: [Int: GuideCache.Representation], bytes: Int)? {
        func bytes(_ tap: Tap, _ form: GuideCache.Representation) -> Int {
            Self.bytes(tap, as: form, examples: examples, elementBytes: elementBytes)
        }
        var forms: [Int: GuideCache.Representation] = [:]
        var total = 0
        for tap in taps {
            let smaller: GuideCache.Representation = tap.gramAllowed && bytes(tap, .gram) < bytes(tap, .activations) ? .gram : .activations
            forms[tap.index] = smaller
            total += bytes(tap, smaller)
        }
        guard total <= budgetBytes else { return nil }
        // Moves to a faster form: (tap, form, nanoseconds saved per step, extra bytes).
        let moves: [(tap: Tap, form: GuideCache.Representation, saved: Double, extra: Int)] = taps.compactMap { tap in
            guard tap.gramAllowed else { return nil }
            let current = forms[tap.index]!
            let other: GuideCache.Representation = current == .gram ? .activations : .gram
            let saved = stepNanoseconds(tap, as: current, batchSize: batchSize) - stepNanoseconds(tap, as: other, batchSize: batchSize)
            guard saved > 0 else { return nil }
            return (tap, other, saved, bytes(tap, other) - bytes(tap, current))
        }
        let ordered = moves.sorted { a, b in
            // saved/extra descending, without dividing (extra ≥ 0 here: the smaller form was taken first).
            let left = a.saved * Double(Swift.max(b.extra, 0)), right = b.saved * Double(Swift.max(a.extra, 0))
            return left != right ? left > right : a.tap.index < b.tap.index
        }
        for move in ordered where total + move.extra <= budgetBytes {
            forms[move.tap.index] = move.form
            total += move.extra
        }
        return (forms, total)
    }
}
