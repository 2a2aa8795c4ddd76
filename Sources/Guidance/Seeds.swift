/// Independent random streams derived from a job's seed, so that the target's initialisation, an untrained
/// guide's initialisation, dropout and noise never share numbers (an untrained guide of the target's own family is
/// not a copy of the target).
public enum Seeds {
    public enum Stream: UInt64, Sendable {
        case target = 1, guide = 2, dropout = 3, noise = 4, batches = 5
        /// The guided-shuffled conditions' permutation of each batch (`GuideShuffle`).
        case guideShuffle = 6
        /// The batches noise warm-up reads (shapes, and the target's inputs in mode guide-only): a stream of their
        /// own, so that the training steps after the warm-up see exactly the baseline's batches.
        case warmupBatches = 7
    }

    /// SplitMix64 of (seed, stream): well-spread 64-bit seeds.
    public static func derive(_ seed: Int, _ stream: Stream) -> UInt64 {
        var z = UInt64(bitPattern: Int64(seed)) &+ stream.rawValue &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
