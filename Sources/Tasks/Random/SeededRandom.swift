/// A small, seeded pseudo-random generator whose output depends only on the seed.
///
/// State seeding uses SplitMix64; the stream is xoshiro256** (Blackman & Vigna). Every derived
/// quantity (uniform doubles, normals, bounded integers, shuffles) is computed with integer
/// arithmetic or with IEEE-754 double operations in a fixed order, and the transcendental
/// functions come from `PortableMath` (pure Swift) rather than the platform's libm. So the same
/// seed yields the same bits on every machine and every Swift version.
///
/// Not cryptographic. Not thread-safe (a value type: copy it, or give each thread its own).
public struct SeededRandom: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The second value of the last Box–Muller pair, returned by the next `normal()`.
    private var spareNormal: Double?

    /// A generator for `seed`. `stream` selects an independent sub-stream (for example an epoch
    /// number) so that `(seed, stream)` pairs never share a state by construction.
    public init(seed: UInt64, stream: UInt64 = 0) {
        var mixer = SplitMix64(state: seed)
        if stream != 0 {
            // Fold the stream id in through one more SplitMix round of its own.
            var streamMixer = SplitMix64(state: stream ^ 0xD1B5_4A32_D192_ED03)
            mixer = SplitMix64(state: mixer.next() ^ streamMixer.next())
        }
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }  // the all-zero state is a fixed point
        spareNormal = nil
    }

    /// A generator with the given raw xoshiro256** state (for checking against reference vectors).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
        spareNormal = nil
    }

    /// The next 64 raw bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A standard normal deviate (mean 0, standard deviation 1), Box–Muller transform.
    public mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1.0 - uniform()  // (0, 1]: log is finite
        let u2 = uniform()
        let radius = (-2.0 * PortableMath.log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = radius * PortableMath.sin(angle)
        return radius * PortableMath.cos(angle)
    }

    /// A uniform integer in 0..<bound without modulo bias (rejection of the short final block).
    /// - Precondition: `bound > 0`.
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "SeededRandom.int(below:) needs a positive bound")
        let n = UInt64(bound)
        let threshold = (0 &- n) % n  // 2^64 mod n: values below it would over-weight small results
        while true {
            let r = next()
            if r >= threshold { return Int(r % n) }
        }
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// Shuffles `values` in place (Fisher–Yates, from the back).
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, through: 1, by: -1) {
            let j = int(below: i + 1)
            if i != j { values.swapAt(i, j) }
        }
    }

    /// A uniformly random permutation of 0..<count.
    public mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}

/// SplitMix64 (Steele, Lea & Flood): turns one 64-bit seed into well-mixed state words.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
