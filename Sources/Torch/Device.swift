import CTorch

/// Where a tensor lives. Parsed from "cpu", "cuda" (= cuda:0) or "cuda:N".
public enum Device: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    case cpu
    case cuda(Int)

    public init?(_ text: String) {
        let lower = text.lowercased()
        if lower == "cpu" { self = .cpu; return }
        if lower == "cuda" { self = .cuda(0); return }
        if lower.hasPrefix("cuda:"), let index = Int(lower.dropFirst(5)), index >= 0 { self = .cuda(index); return }
        return nil
    }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let index): "cuda:\(index)"
        }
    }

    var code: (type: Int32, index: Int32) {
        switch self {
        case .cpu: (Int32(TT_CPU), 0)
        case .cuda(let index): (Int32(TT_CUDA), Int32(index))
        }
    }

    init(type: Int32, index: Int32) {
        self = type == Int32(TT_CUDA) ? .cuda(Int(index)) : .cpu
    }

    /// One line saying why `device` cannot be used here and what to do.
    public static func unavailableMessage(_ device: Device) -> String {
        let count = Torch.cudaDeviceCount
        guard case .cuda = device else { return "device \(device) is available" }
        if count == 0 {
            return "device \(device) is not available here: this libtorch sees no CUDA GPU (libtorch \(Torch.version); build with LIBTORCH= a CUDA libtorch such as the PyPI wheel's, on a machine with a GPU and its driver), or use --device cpu"
        }
        return "device \(device) is not available here: this machine has \(count) GPU(s), cuda:0 to cuda:\(count - 1)"
    }

    /// Whether this device can be used in the current process (CUDA devices need a CUDA build of libtorch).
    public var isAvailable: Bool {
        switch self {
        case .cpu: true
        case .cuda(let index): index < Torch.cudaDeviceCount
        }
    }
}
