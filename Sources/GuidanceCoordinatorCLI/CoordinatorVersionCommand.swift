import ArgumentParser
import Foundation
import Sweep

/// `guidance-coordinator version`: the package version, in the shape of `guidance version` (text, or `--json` with the
/// same `guidance` key), so that scripts comparing releases across machines (cluster/ssh/launch) accept either product.
/// No engine fields: this product links no libtorch.
struct CoordinatorVersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the package version (this product has no engine: no libtorch, no BLAS)."
    )

    @Flag(help: "Print a JSON object instead of text.")
    var json = false

    struct Report: Encodable {
        var guidance: String
        var product: String
    }

    func run() throws {
        let report = Report(guidance: PackageVersion.current, product: "guidance-coordinator")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("guidance \(report.guidance) (\(report.product): no libtorch)")
        }
    }
}
