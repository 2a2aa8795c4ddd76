import Foundation

// Reference implementations written as plain loops over C-order [Double] arrays, to check libtorch's
// convolution and pooling against. Everything works on 4-D [N, C, H, W] data; the 1-D ops are checked by
// viewing [N, C, L] as [N, C, 1, L] with a kernel of height 1.

/// A C-order array of doubles with its shape.
struct Grid: Equatable {
    var values: [Double]
    var shape: [Int]

    init(_ values: [Double], _ shape: [Int]) {
        precondition(values.count == shape.reduce(1, *))
        self.values = values
        self.shape = shape
    }

    init(zeros shape: [Int]) { self.init([Double](repeating: 0, count: shape.reduce(1, *)), shape) }

    /// Element [a, b, c, d] of a 4-D grid.
    subscript(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
        get { values[((a * shape[1] + b) * shape[2] + c) * shape[3] + d] }
        set { values[((a * shape[1] + b) * shape[2] + c) * shape[3] + d] = newValue }
    }
}

/// Output length of a sliding window: ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1.
func windowCount(_ n: Int, kernel: Int, stride: Int, padding: Int, dilation: Int = 1) -> Int {
    (n + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
}

/// Cross-correlation as `torch.nn.functional.conv2d`: x [N, Cin, H, W], w [Cout, Cin/groups, KH, KW], bias [Cout].
func naiveConv2d(_ x: Grid, _ w: Grid, bias: [Double]?, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                 dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Grid {
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, cinPerGroup, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    precondition(cin == cinPerGroup * groups && cout % groups == 0)
    let oh = windowCount(h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0)
    let ow = windowCount(wd, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1)
    var out = Grid(zeros: [n, cout, oh, ow])
    let coutPerGroup = cout / groups
    for b in 0..<n {
        for o in 0..<cout {
            let group = o / coutPerGroup
            for i in 0..<oh {
                for j in 0..<ow {
                    var acc = bias?[o] ?? 0
                    for c in 0..<cinPerGroup {
                        for u in 0..<kh {
                            for v in 0..<kw {
                                let y = i * stride.0 - padding.0 + u * dilation.0
                                let z = j * stride.1 - padding.1 + v * dilation.1
                                guard y >= 0, y < h, z >= 0, z < wd else { continue }
                                acc += x[b, group * cinPerGroup + c, y, z] * w[o, c, u, v]
                            }
                        }
                    }
                    out[b, o, i, j] = acc
                }
            }
        }
    }
    return out
}

/// Max pooling of [N, C, H, W] as `max_pool2d` (padding counts as −∞).
func naiveMaxPool2d(_ x: Grid, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0),
                    dilation: (Int, Int) = (1, 1)) -> Grid {
    slide(x, kernel: kernel, stride: stride, padding: padding, dilation: dilation) { cells, _ in cells.max() ?? -.infinity }
}

/// Average pooling of [N, C, H, W] as `avg_pool2d` without ceil mode: the divisor is the full kernel area when
/// `countIncludePad`, else the number of cells inside the input.
func naiveAvgPool2d(_ x: Grid, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0),
                    countIncludePad: Bool = true) -> Grid {
    slide(x, kernel: kernel, stride: stride, padding: padding, dilation: (1, 1)) { cells, _ in
        cells.reduce(0, +) / Double(countIncludePad ? kernel.0 * kernel.1 : cells.count)
    }
}

/// Applies `combine` to the in-bounds cells of every window.
private func slide(_ x: Grid, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
                   _ combine: ([Double], Int) -> Double) -> Grid {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = windowCount(h, kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: dilation.0)
    let ow = windowCount(w, kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: dilation.1)
    var out = Grid(zeros: [n, c, oh, ow])
    for b in 0..<n {
        for ch in 0..<c {
            for i in 0..<oh {
                for j in 0..<ow {
                    var cells: [Double] = []
                    for u in 0..<kernel.0 {
                        for v in 0..<kernel.1 {
                            let y = i * stride.0 - padding.0 + u * dilation.0
                            let z = j * stride.1 - padding.1 + v * dilation.1
                            if y >= 0, y < h, z >= 0, z < w { cells.append(x[b, ch, y, z]) }
                        }
                    }
                    out[b, ch, i, j] = combine(cells, kernel.0 * kernel.1)
                }
            }
        }
    }
    return out
}

/// Adaptive pooling of [N, C, H, W] to (OH, OW): output cell (i, j) covers rows ⌊i·H/OH⌋ ..< ⌈(i+1)·H/OH⌉ and
/// the same for columns, reduced by `combine` (mean or max).
func naiveAdaptivePool2d(_ x: Grid, output: (Int, Int), _ combine: ([Double]) -> Double) -> Grid {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    var out = Grid(zeros: [n, c, output.0, output.1])
    func bounds(_ i: Int, _ size: Int, _ count: Int) -> Range<Int> {
        (i * size / count)..<(((i + 1) * size + count - 1) / count)
    }
    for b in 0..<n {
        for ch in 0..<c {
            for i in 0..<output.0 {
                for j in 0..<output.1 {
                    var cells: [Double] = []
                    for y in bounds(i, h, output.0) { for z in bounds(j, w, output.1) { cells.append(x[b, ch, y, z]) } }
                    out[b, ch, i, j] = combine(cells)
                }
            }
        }
    }
    return out
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
