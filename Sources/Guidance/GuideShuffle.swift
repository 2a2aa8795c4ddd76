import Tasks

/// The permutations of the guided-shuffled conditions (a control: does the *relation* between the target's and the
/// guide's examples matter?). At each guided step the guide reads the batch in the order `permutation(n)`: row i of
/// the guide's side is the guide's activation of example `order[i]` while row i of the target's side is example i.
///
/// Each permutation is a uniformly random n-cycle (Sattolo's algorithm), so for n ≥ 2 no example is ever paired with
/// its own guide activations (a derangement; a uniform shuffle would leave one example in place on average). The
/// draws come from their own seeded stream (`Seeds.Stream.guideShuffle`), one permutation per guided step, so the
/// guide cache (which permutes the cached rows' indices) and the live guide (which permutes the batch) see the same
/// orders. With `cka_batch: N` the permutation is of the first N examples, the ones the similarity reads.
struct GuideShuffle {
    private var random: SeededRandom

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    /// A uniformly random cyclic permutation of 0..<n: `order[i] != i` for every i when n ≥ 2.
    mutating func permutation(_ n: Int) -> [Int] {
        var order = Array(0..<n)
        guard n > 1 else { return order }
        for i in stride(from: n - 1, through: 1, by: -1) {
            order.swapAt(i, random.int(below: i))
        }
        return order
    }
}
