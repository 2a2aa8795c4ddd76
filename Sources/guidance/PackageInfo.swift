/// This package's version, reported by `guidance version` and recorded with every result.
enum PackageInfo {
    static let version = "0.1.0"
}
