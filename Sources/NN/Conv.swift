public import Torch

/// Convolution over 1 spatial dimension (x: [N, inChannels, L]) or 2 (x: [N, inChannels, H, W]), square kernels.
/// Each output size is ⌊(size + 2·padding − dilation·(kernel−1) − 1) / stride⌋ + 1.
/// Init (PyTorch's default): W ~ U(−1/√fan_in, 1/√fan_in) with fan_in = inChannels/groups · kernel^dims (kaiming
/// uniform, a = √5); the bias has the same bound.
public final class Conv: Module, @unchecked Sendable {
    /// [out, in/groups, k] or [out, in/groups, k, k]
    public let weight: Tensor
    public let bias: Tensor?
    public let spatialDims: Int
    public let stride: Int, padding: Int, dilation: Int, groups: Int

    public init(spatialDims: Int, _ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, init p: ParameterInit) throws {
        let layer = "Conv\(spatialDims)d"
        guard spatialDims == 1 || spatialDims == 2 else { throw TorchError(layer, "only 1-D and 2-D convolutions exist") }
        guard inChannels > 0, outChannels > 0, kernel > 0, groups > 0, stride > 0, dilation > 0, padding >= 0 else {
            throw TorchError(layer, "channels, kernel, stride, dilation and groups must be positive (in \(inChannels), out \(outChannels), kernel \(kernel), stride \(stride), groups \(groups))")
        }
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw TorchError(layer, "groups \(groups) must divide in (\(inChannels)) and out (\(outChannels)) channels")
        }
        weight = try p.kaimingUniformDefault([outChannels, inChannels / groups] + Array(repeating: kernel, count: spatialDims))
        let bound = 1 / Double(ParameterInit.fanIn(weight.shape)).squareRoot()
        self.bias = bias ? try p.uniform([outChannels], bound: bound) : nil
        self.spatialDims = spatialDims
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        super.init()
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if spatialDims == 1 {
            return try x.conv1d(weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        }
        return try x.conv2d(weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding),
                            dilation: (dilation, dilation), groups: groups)
    }

    /// The output length of one spatial dimension of size `size`.
    public func outputSize(_ size: Int) -> Int {
        (size + 2 * padding - dilation * (weight.size(-1) - 1) - 1) / stride + 1
    }
}
