import Foundation
import Sweep

/// Matrices as JSON: `{"interval": ..., "matrices": [GuidabilityMatrix...]}` with sorted keys, values in
/// raw metric units, non-finite numbers as "nan"/"inf" strings (like the store).
public enum JSONRenderer {
    struct Document: Encodable {
        var interval: String
        var matrices: [GuidabilityMatrix]
    }

    public static func render(_ matrices: [GuidabilityMatrix]) throws -> String {
        let encoder = JSONCoding.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        let level = Int(((matrices.first?.level ?? 0.95) * 100).rounded())
        let document = Document(
            interval: "\(level)% confidence interval of the mean paired difference, Student t with n-1 degrees of freedom; deltas are sign-normalized (positive = treatment better)",
            matrices: matrices)
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
