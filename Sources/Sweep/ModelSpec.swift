public import Config
/// A network: its architecture family (`fcn`, `cnn`, `resnet`, ...) and free-form options the model
/// registry interprets (depth, width, channels, ...).
///
/// `label` is the manifest's name for it (`deep-fcn`, or `deep-fcn[depth=8]` for one value of an axis);
/// it is presentation only and is **not** part of the job id: two identically configured models under
/// different names are the same computation.
public struct ModelSpec: Codable, Hashable, Sendable {
    public var family: String
    public var options: [String: ConfigValue]
    public var label: String?

    public init(family: String, options: [String: ConfigValue] = [:], label: String? = nil) {
        self.family = family
        self.options = options
        self.label = label
    }

    /// The label if there is one, else the family.
    public var displayName: String { label ?? family }
}

extension ModelSpec: CanonicalEncodable {
    /// Canonical form without `label` (see the type's documentation).
    public func writeCanonical(to writer: inout CanonicalJSON.Writer) {
        writer.beginObject()
        writer.field("family", family)
        writer.field("options", options)
        writer.endObject()
    }
}
