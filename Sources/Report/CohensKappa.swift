/// Cohen's κ between two models over the same test items (method.md §6): (c_obs − c_exp) / (1 − c_exp).
public enum CohensKappa {
    /// Error consistency: agreement on *correctness*. c_obs = fraction of items both got right or both
    /// got wrong; c_exp = p₁p₂ + (1−p₁)(1−p₂) with p the accuracies. Nil for empty or unequal inputs,
    /// or when c_exp = 1 (both always right, or always wrong).
    public static func errorConsistency(_ a: [Bool], _ b: [Bool]) -> Double? {
        guard !a.isEmpty, a.count == b.count else { return nil }
        let n = Double(a.count)
        let observed = Double(zip(a, b).filter { $0 == $1 }.count) / n
        let p1 = Double(a.filter { $0 }.count) / n
        let p2 = Double(b.filter { $0 }.count) / n
        return kappa(observed: observed, expected: p1 * p2 + (1 - p1) * (1 - p2))
    }

    /// Agreement on *predicted labels* (used when true labels are not recorded): c_obs = fraction of items
    /// with the same predicted class; c_exp = Σ_k q₁(k) q₂(k) with q the predicted-class frequencies.
    public static func predictionAgreement(_ a: [Int], _ b: [Int]) -> Double? {
        guard !a.isEmpty, a.count == b.count else { return nil }
        let n = Double(a.count)
        let observed = Double(zip(a, b).filter { $0 == $1 }.count) / n
        var countA: [Int: Double] = [:], countB: [Int: Double] = [:]
        for k in a { countA[k, default: 0] += 1 }
        for k in b { countB[k, default: 0] += 1 }
        let expected = countA.reduce(0.0) { $0 + ($1.value / n) * ((countB[$1.key] ?? 0) / n) }
        return kappa(observed: observed, expected: expected)
    }

    private static func kappa(observed: Double, expected: Double) -> Double? {
        guard expected < 1 else { return nil }
        return (observed - expected) / (1 - expected)
    }
}
