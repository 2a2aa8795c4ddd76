extension GuidanceConfig {
    public init(from decoder: any Decoder) throws { self = try Self.schema.decode(from: decoder) }
    /// The keys the canonical form writes (`schema`).
    public func encode(to encoder: any Encoder) throws { try Self.schema.encode(self, to: encoder) }
}

/// JSON: the string `"auto"` or an array of `{"guide": name|index, "target": name|index}`.
extension LayerMapping: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self) {
            guard text == "auto" else {
                throw DecodingError.dataCorruptedError(
                    in: c, debugDescription: "mapping must be \"auto\" or a list of {guide, target} pairs")
            }
            self = .auto
        } else {
            self = .explicit(try c.decode([LayerPair].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .auto: try c.encode("auto")
        case .explicit(let pairs): try c.encode(pairs)
        }
    }
}

/// JSON: a string (tap name) or an integer (tap index).
extension TapRef: Codable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let index = try? c.decode(Int.self) {
            self = .index(index)
        } else {
            self = .name(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .name(let name): try c.encode(name)
        case .index(let index): try c.encode(index)
        }
    }
}

extension TapRef: CustomStringConvertible {
    public var description: String {
        switch self {
        case .name(let name): return name
        case .index(let index): return String(index)
        }
    }
}

extension GuidanceConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) { Self.schema.writeCanonical(self, to: &w) }
}

extension LayerMapping: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        switch self {
        case .auto:
            w.string("auto")
        case .explicit(let pairs):
            w.beginArray()
            for pair in pairs {
                w.beginObject()
                w.field("guide", pair.guide)
                w.field("target", pair.target)
                w.endObject()
            }
            w.endArray()
        }
    }
}

extension TapRef: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        switch self {
        case .name(let name): w.string(name)
        case .index(let index): w.int(index)
        }
    }
}
