/// This package's version: printed by `guidance version`, recorded with every result.
public enum PackageVersion {
    public static let current = "0.1.0"
}
