import Foundation

/// The processor this process runs on, as Linux describes it in `/proc/cpuinfo` (first processor only: every
/// core of a machine we run on is the same model).
///
/// `flags` are the kernel's feature names (`avx2`, `fma`, `avx512f`, `avx512_bf16`, `amx_tile`, …); they
/// already reflect what the operating system enables (AVX-512 state saving), which is what kernels may use.
public struct HostCPU: Hashable, Sendable {
    /// `GenuineIntel`, `AuthenticAMD`, … ("" when unknown).
    public var vendor: String
    /// The marketing name, e.g. "Intel(R) Xeon(R) Platinum 8481C" ("unknown" when not reported).
    public var modelName: String
    /// CPUID family and model numbers (nil when not reported).
    public var family: Int?
    public var model: Int?
    public var flags: Set<String>

    public init(vendor: String = "", modelName: String = "unknown", family: Int? = nil, model: Int? = nil, flags: Set<String> = []) {
        self.vendor = vendor
        self.modelName = modelName
        self.family = family
        self.model = model
        self.flags = flags
    }

    /// Parses the text of `/proc/cpuinfo` (the first processor's block).
    public init(cpuinfo text: String) {
        self.init()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { if !flags.isEmpty || vendor != "" { break } else { continue } }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "vendor_id": vendor = value
            case "model name": modelName = value
            case "cpu family": family = Int(value)
            case "model": model = Int(value)
            case "flags": flags = Set(value.split(separator: " ").map(String.init))
            default: break
            }
        }
    }

    /// This machine's processor (an empty description where `/proc/cpuinfo` cannot be read, e.g. macOS).
    public static let current: HostCPU = {
        guard let text = procFile("/proc/cpuinfo") else { return HostCPU() }
        return HostCPU(cpuinfo: text)
    }()

    /// "AMD EPYC (family 25, model 17)": the name plus the numbers that tell models apart when the name does not.
    public var summary: String {
        guard let family, let model else { return modelName }
        return "\(modelName) (family \(family), model \(model))"
    }
}

/// The whole text of a /proc file. (`String(contentsOfFile:)` trusts the size procfs reports and stops after one
/// page, which silently drops most of /proc/self/maps.)
func procFile(_ path: String) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
}
