import Sweep
import Torch

/// How one guide → target pair of taps is compared under `guidance.readout` (method.md §3): `flat` flattens each tap
/// per example (sequences to T·D, padding included); the others need **sequence taps** [N, T, D] on both sides:
/// - `token-mean`: 1 − mean over positions t of sim(X[:, t, :], Y[:, t, :]);
/// - `token-sum`: Σ over positions of (1 − sim(X[:, t, :], Y[:, t, :]));
/// - `pooled`: 1 − sim of one vector per example, the mean over its non-padding positions.
/// At position t the examples padded at t (in the target's batch or the guide's) are left out; a position with fewer
/// than 3 unpadded examples has no meaningful similarity and is skipped (centred CKA of 2 rows is always 1).
enum TapReadout {
    /// The term (1 − similarity, or the sum of them) for target tap x and guide tap y; paddings: bool [N, T], true
    /// at padding, nil when nothing is padded.
    static func term(_ readout: GuidanceConfig.Readout, target x: Tensor, guide y: Tensor, targetPadding: Tensor?,
                     guidePadding: Tensor?, similarity: (Tensor, Tensor) throws -> Tensor) throws -> Tensor {
        switch readout {
        case .flat:
            return try 1.0 - similarity(x, y)
        case .pooled:
            return try 1.0 - similarity(pool(x, targetPadding), pool(y, guidePadding))
        case .tokenMean, .tokenSum:
            let n = x.size(0), length = x.size(1)
            let padded = try paddedPositions(targetPadding, guidePadding, examples: n, length: length)
            var terms: [Tensor] = []
            for t in 0..<length {
                let rows = (0..<n).filter { !padded[$0 * length + t] }
                guard rows.count >= 3 else { continue }
                var xt = try x.select(dim: 1, index: t), yt = try y.select(dim: 1, index: t)
                if rows.count < n {
                    let index = try Tensor(rows.map(Int64.init), shape: [rows.count], device: x.device)
                    xt = try xt.indexSelect(dim: 0, index)
                    yt = try yt.indexSelect(dim: 0, index)
                }
                terms.append(try similarity(xt, yt))
            }
            guard let first = terms.first else { return try Tensor.zeros([], dtype: x.dtype, device: x.device) }
            let total = try terms.dropFirst().reduce(first) { try $0 + $1 }
            return readout == .tokenMean ? try 1.0 - total / Double(terms.count) : try Double(terms.count) - total
        }
    }

    /// Mean over each example's non-padding positions of h [N, T, D] → [N, D].
    static func pool(_ h: Tensor, _ padding: Tensor?) throws -> Tensor {
        guard let padding else { return try h.mean(dim: 1) }
        let keep = try padding.logicalNot().to(h.dtype).unsqueeze(dim: 2)
        return try (h * keep).sum(dim: 1) / keep.sum(dim: 1).clamp(min: 1)
    }

    /// Row-major [N·T] flags: padded in either batch.
    private static func paddedPositions(_ a: Tensor?, _ b: Tensor?, examples: Int, length: Int) throws -> [Bool] {
        var flags = [Bool](repeating: false, count: examples * length)
        for mask in [a, b].compactMap({ $0 }) {
            for (i, v) in try mask.to(.float32).doubles().enumerated() where v != 0 { flags[i] = true }
        }
        return flags
    }

    /// Why `readout` cannot compare these taps (per-example shapes), or nil: the non-flat readouts need [T, D] on both
    /// sides, and the token readouts the same T.
    static func problem(_ readout: GuidanceConfig.Readout, target: (name: String, shape: [Int]),
                        guide: (name: String, shape: [Int])) -> String? {
        guard readout != .flat else { return nil }
        for (role, tap) in [("target", target), ("guide", guide)] where tap.shape.count != 2 {
            return "guidance.readout \(readout.rawValue) needs sequence taps (per example [T, D]), but \(role) tap \(tap.name) is \(tap.shape); use readout: flat, or map only sequence taps"
        }
        if readout != .pooled, target.shape[0] != guide.shape[0] {
            return "guidance.readout \(readout.rawValue) compares positions, but target tap \(target.name) has \(target.shape[0]) and guide tap \(guide.name) \(guide.shape[0]); use readout: pooled or flat"
        }
        return nil
    }
}
