extension JobSpec {
    /// The spec's JSON as `JSONCoding`'s encoder writes it (keys sorted, the models' `label`s included), assembled
    /// from the canonical writers of its parts instead of `JSONEncoder`: a coordinator encodes every job's spec once,
    /// for its JOB and its results line. It decodes to the same spec as the encoder's output; the bytes may differ
    /// in how a number prints (`-0` as `0`) or a control character is escaped (`JobSpecJSONTests` checks this on
    /// every spec of the test manifests).
    public var jsonBytes: [UInt8] {
        var parts = CanonicalParts(self)
        parts.target = target.jsonBytes
        parts.guide = guide?.jsonBytes
        return Self.canonicalBytes(parts)
    }
}

extension ModelSpec {
    /// The model's JSON as `JSONCoding`'s encoder writes it: the canonical form plus `label` when there is one.
    public var jsonBytes: [UInt8] {
        var writer = CanonicalJSON.Writer()
        writer.beginObject()
        writer.field("family", family)
        if let label { writer.field("label", label) }
        writer.field("options", options)
        writer.endObject()
        return writer.bytes
    }
}
