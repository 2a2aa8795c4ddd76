import Torch

/// The similarity suite: one linear-CKA term (forward and backward in x) at the guidance suite's pair shapes
/// (n = 256 examples; a target tap of p = 256 against guide taps of q = 1280, 640 and 32 features), for each way of
/// computing it: the fused op (`Tensor.linearCKA`, closed-form gradient) and autograd through composite ops, each in
/// the Gram (n×n) and the feature (p×q) form. Says which form and which implementation is cheaper at these shapes.
enum SimilarityBench {
    /// Autograd through composite ops (what `SimilarityMeasure` did before the fused op).
    static func composed(_ x: Tensor, _ y: Tensor, gram: Bool) throws -> Tensor {
        let xc = try x - x.mean(dim: 0, keepDim: true)
        let yc = try y - y.mean(dim: 0, keepDim: true)
        let a: Tensor, b: Tensor, c: Tensor
        if gram {
            let k = try xc.matmul(xc.transpose(0, 1)), l = try yc.matmul(yc.transpose(0, 1))
            a = try (k * l).sum(); b = try (k * k).sum(); c = try (l * l).sum()
        } else {
            a = try xc.transpose(0, 1).matmul(yc).square().sum()
            b = try xc.transpose(0, 1).matmul(xc).square().sum()
            c = try yc.transpose(0, 1).matmul(yc).square().sum()
        }
        return try a / (b * c + 1e-8).sqrt()
    }

    /// The variants take turns step by step (round robin), so a burst of load on a shared machine hits them alike.
    static func run(steps: Int, warmup: Int, threads: Int) throws -> [BenchRecord] {
        let g = Generator(seed: 5)
        let n = 256, p = 256
        var records: [BenchRecord] = []
        for q in [1280, 640, 32] {
            let x = try Tensor.randn([n, p], generator: g).requiresGrad(true)
            let y = try Tensor.randn([n, q], generator: g)
            let variants = [true, false].flatMap { gram in [true, false].map { fused in (gram: gram, fused: fused) } }
            var samples = Array(repeating: [Double](), count: variants.count)
            for step in 0..<(warmup + steps) {
                for (index, v) in variants.enumerated() {
                    let ms = try BenchStatistics.milliseconds {
                        try x.zeroGrad()
                        let value = v.fused ? try x.linearCKA(y, gramForm: v.gram, epsilon: 1e-8) : try composed(x, y, gram: v.gram)
                        try value.backward()
                    }
                    if step >= warmup { samples[index].append(ms) }
                }
            }
            for (index, v) in variants.enumerated() {
                let name = "q\(q)-\(v.gram ? "gram" : "feature")-\(v.fused ? "fused" : "composed")"
                records.append(BenchRecord(suite: "similarity", case: name, threads: threads, samplesMs: samples[index]))
            }
        }
        records += try cachedCases(steps: steps, warmup: warmup, threads: threads, generator: g)
        return records
    }

    /// The guide cache's form (issue 13): x [256, 256] against a given centred guide Gram Lc [256, 256] with a row
    /// order (`cached-gram-fused`, what a cached guided step runs per term), beside `products`: the two n×n·n×p-sized
    /// matrix products alone (x·xᵀ and Lc·x, no autograd, no centring) — the arithmetic such a term cannot shed (the
    /// fused op takes x·xᵀ by `syrk`, half of it). Their difference is the term's overhead.
    static func cachedCases(steps: Int, warmup: Int, threads: Int, generator g: Generator) throws -> [BenchRecord] {
        let n = 256, p = 256
        let x = try Tensor.randn([n, p], generator: g).requiresGrad(true)
        let y = try Tensor.randn([n, 640], generator: g)
        let yc = try y - y.mean(dim: 0, keepDim: true)
        let lc = try yc.matmul(yc.transpose(0, 1))
        let order = try Tensor((0..<n).reversed().map(Int64.init), shape: [n])
        let plain = try Tensor.randn([n, p], generator: g)
        var fused: [Double] = [], products: [Double] = []
        for step in 0..<(warmup + steps) {
            let a = try BenchStatistics.milliseconds {
                try x.zeroGrad()
                try x.linearCKA(centeredGram: lc, rowOrder: order, epsilon: 1e-8).backward()
            }
            let b = try BenchStatistics.milliseconds {
                _ = try plain.matmul(plain.transpose(0, 1))
                _ = try lc.matmul(plain)
            }
            if step >= warmup { fused.append(a); products.append(b) }
        }
        return [BenchRecord(suite: "similarity", case: "cached-gram-fused", threads: threads, samplesMs: fused),
                BenchRecord(suite: "similarity", case: "products", threads: threads, samplesMs: products)]
    }
}
