public import NN
public import Torch

/// Turns any input kind into a sequence of feature vectors [N, T, features] for the sequence families:
/// token ids are embedded; a signal [N, C, L] is read step by step ([N, L, C]); an image [N, C, H, W] row by
/// row ([N, H, C·W]) — or, with `patch` > 0, as non-overlapping patches through a Conv of kernel = stride = patch
/// (ViT-style; a Conv, so it is tapped as `patch`).
public final class SequenceInput: Module, @unchecked Sendable {
    public let embedding: Embedding?
    public let patch: Conv?
    /// Features per step and number of steps of the produced sequence.
    public let features: Int
    public let length: Int

    init(_ input: ModelInput, width: Int, patchSize: Int, family: String, init p: ParameterInit) throws {
        switch input {
        case .tokens(let l, let v):
            embedding = try Embedding(v, width, init: p)
            patch = nil
            features = width
            length = l
        case .signal(let c, let l):
            embedding = nil
            if patchSize > 0 {
                guard patchSize <= l else { throw ModelError(family, "patch \(patchSize) is longer than the signal (\(l))") }
                patch = try Conv(spatialDims: 1, c, width, kernel: patchSize, stride: patchSize, init: p)
                features = width
                length = l / patchSize
            } else {
                patch = nil
                features = c
                length = l
            }
        case .image(let c, let h, let w):
            embedding = nil
            if patchSize > 0 {
                guard patchSize <= Swift.min(h, w) else { throw ModelError(family, "patch \(patchSize) is larger than the image (\(h)×\(w))") }
                patch = try Conv(spatialDims: 2, c, width, kernel: patchSize, stride: patchSize, init: p)
                features = width
                length = (h / patchSize) * (w / patchSize)
            } else {
                patch = nil
                features = c * w
                length = h
            }
        }
        super.init()
    }

    func callAsFunction(_ x: Tensor, taps: TapScope?) throws -> Tensor {
        if let embedding { return try embedding(x) }
        if let patch {
            let z = try patch(x)  // [N, width, ...patches]
            taps?.record("patch", z)
            return try z.flatten(start: 2).transpose(1, 2)
        }
        if x.rank == 3 { return try x.transpose(1, 2) }  // [N, C, L] → [N, L, C]
        let n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3)
        return try x.permute([0, 2, 1, 3]).reshape([n, h, c * w])
    }
}

/// Output heads of the sequence families: classes from a pooled [N, features] vector, per-position logits from
/// [N, T, features].
enum SequencePooling {
    /// Mean over the non-padding positions of h [N, T, F] (all positions without a mask) → [N, F].
    static func mean(_ h: Tensor, paddingMask: Tensor?) throws -> Tensor {
        guard let mask = paddingMask else { return try h.mean(dim: 1) }
        let keep = try mask.logicalNot().to(h.dtype).unsqueeze(dim: 2)  // [N, T, 1]
        let counts = try keep.sum(dim: 1).clamp(min: 1)
        return try (h * keep).sum(dim: 1) / counts
    }

    /// The state at each sequence's last non-padding position of h [N, T, F] (the last step without a mask) → [N, F].
    static func last(_ h: Tensor, paddingMask: Tensor?) throws -> Tensor {
        guard let mask = paddingMask else { return try h.select(dim: 1, index: h.size(1) - 1) }
        let lengths = try mask.logicalNot().to(.int64).sum(dim: 1)               // [N]
        // A Double scalar promotes int64 to float; gather needs int64 indices again.
        let index = try (lengths - 1.0).clamp(min: 0).to(.int64).reshape([-1, 1, 1]).expand([-1, 1, h.size(2)])
        return try h.gather(dim: 1, index).squeeze(dim: 1)
    }
}
