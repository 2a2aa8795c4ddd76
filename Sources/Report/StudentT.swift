import Foundation

/// Student's t distribution: CDF through the regularized incomplete beta function, quantiles by
/// bisection on the CDF. Accurate to ~1e-10 for 1 ≤ ν ≤ 10⁶, which is far more than intervals need.
public enum StudentT {
    /// P(T ≤ t) for T ~ t(ν), ν > 0.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(nu > 0, "degrees of freedom must be positive")
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2)
        let tail = 0.5 * IncompleteBeta.regularized(x: nu / (nu + t * t), a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of t(ν): the t with P(T ≤ t) = p, for 0 < p < 1.
    /// `quantile(0.975, degreesOfFreedom: 4)` ≈ 2.776 (the half-width factor of a 95% interval from 5 values).
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1, "probability must be in (0, 1)")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        var low = 0.0
        var high = 1.0
        while cdf(high, degreesOfFreedom: nu) < p {
            low = high
            high *= 2
            if high > 1e12 { return .infinity }
        }
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if cdf(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
            if high - low <= 1e-12 * max(1, high) { break }
        }
        return 0.5 * (low + high)
    }

    /// Half-width factor of a two-sided `level` interval (0.95 → t_{0.975, ν}).
    public static func criticalValue(level: Double, degreesOfFreedom nu: Double) -> Double {
        quantile(0.5 + level / 2, degreesOfFreedom: nu)
    }
}

/// The regularized incomplete beta function I_x(a, b).
enum IncompleteBeta {
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logPowers - logBeta
        let front = exp(logFront)
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction for I_x(a, b), evaluated with the modified Lentz method.
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-15
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...1000 {
            let m = Double(m)
            // Even step: d_{2m} = m(b−m)x / ((a+2m−1)(a+2m))
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            // Odd step: d_{2m+1} = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return result
    }
}
