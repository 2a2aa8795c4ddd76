public import Config

extension ConfigValue {
    /// Short human-readable text: strings bare, everything else as canonical JSON.
    public var displayText: String {
        if case .string(let value) = self { return value }
        return CanonicalJSON.string(self)
    }
}
