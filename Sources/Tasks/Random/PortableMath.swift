/// `log`, `exp`, `sin` and `cos` written with plain IEEE-754 double arithmetic in a fixed order,
/// so results are bit-identical on every platform (libm implementations may differ in the last
/// bit). Accuracy is a few ulp, ample for generating data; not a general-purpose math library.
enum PortableMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

    /// Natural logarithm of a positive finite `x`: x = m·2^e with m in [√½, √2), then
    /// log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172, summed as an odd series.
    static func log(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "PortableMath.log needs a positive finite argument")
        var m = x.significand  // [1, 2)
        var e = Double(x.exponent)
        if m > 1.414_213_562_373_095_048_801_688_724_209_7 {
            m *= 0.5
            e += 1
        }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 0.0
        var k = 27.0  // terms s^(2j+1)/(2j+1), j = 0...13: error < 0.03^14
        while k >= 1 {
            sum = sum * s2 + 1.0 / k
            k -= 2
        }
        return 2 * s * sum + e * ln2
    }

    /// e^x for |x| below ~700: x = k·ln2 + r, |r| ≤ ln2/2, e^r by Taylor series (18 terms).
    static func exp(_ x: Double) -> Double {
        if x < -700 { return 0 }
        precondition(x < 700, "PortableMath.exp argument too large")
        let k = (x / ln2).rounded()
        let r = x - k * ln2
        var sum = 1.0
        var n = 18.0
        while n >= 1 {
            sum = 1 + sum * r / n
            n -= 1
        }
        return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
    }

    /// cos x for |x| ≤ 2π (enough for Box–Muller angles).
    static func cos(_ x: Double) -> Double {
        let r = reduce(x)
        return r.sign * taylorCos(r.angle)
    }

    /// sin x for |x| ≤ 2π: sin x = cos(x − π/2).
    static func sin(_ x: Double) -> Double {
        cos(x - Double.pi / 2)
    }

    /// Maps x to y in [0, π/2] with cos x = sign·cos y.
    private static func reduce(_ x: Double) -> (angle: Double, sign: Double) {
        var y = abs(x)
        let twoPi = 2 * Double.pi
        while y > twoPi { y -= twoPi }
        if y > Double.pi { y = twoPi - y }  // cos(2π − y) = cos y
        if y > Double.pi / 2 { return (Double.pi - y, -1) }  // cos(π − y) = −cos y
        return (y, 1)
    }

    /// Taylor series of cos on [0, π/2], 12 terms (error < (π/2)^24 / 24!).
    private static func taylorCos(_ y: Double) -> Double {
        let y2 = y * y
        var sum = 1.0
        var n = 24.0
        while n >= 2 {
            sum = 1 - sum * y2 / (n * (n - 1))
            n -= 2
        }
        return sum
    }
}
