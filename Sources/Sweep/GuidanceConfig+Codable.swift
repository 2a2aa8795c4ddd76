extension GuidanceConfig {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = GuidanceConfig()
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha) ?? d.alpha
        similarity = try c.decodeIfPresent(Similarity.self, forKey: .similarity) ?? d.similarity
        rbfSigma = try c.decodeIfPresent(Double.self, forKey: .rbfSigma) ?? d.rbfSigma
        mapping = try c.decodeIfPresent(LayerMapping.self, forKey: .mapping) ?? d.mapping
        guideMode = try c.decodeIfPresent(GuideMode.self, forKey: .guideMode) ?? d.guideMode
        initSteps = try c.decodeIfPresent(Int.self, forKey: .initSteps) ?? d.initSteps
        noiseSteps = try c.decodeIfPresent(Int.self, forKey: .noiseSteps) ?? d.noiseSteps
        noiseMode = try c.decodeIfPresent(NoiseMode.self, forKey: .noiseMode) ?? d.noiseMode
        noise = try c.decodeIfPresent(NoiseDistribution.self, forKey: .noise)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? d.temperature
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? d.epsilon
        epsilonMode = try c.decodeIfPresent(EpsilonMode.self, forKey: .epsilonMode) ?? d.epsilonMode
        ckaBatch = try c.decodeIfPresent(Int.self, forKey: .ckaBatch)
        readout = try c.decodeIfPresent(Readout.self, forKey: .readout) ?? d.readout
    }

    /// Keys as decoded; the options added with issue 14 are left out at the defaults that keep the earlier behaviour,
    /// exactly as in the canonical form (so records and specs from before them read and write the same).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(alpha, forKey: .alpha)
        try c.encode(similarity, forKey: .similarity)
        try c.encode(rbfSigma, forKey: .rbfSigma)
        try c.encode(mapping, forKey: .mapping)
        try c.encode(guideMode, forKey: .guideMode)
        try c.encode(initSteps, forKey: .initSteps)
        try c.encode(noiseSteps, forKey: .noiseSteps)
        try c.encode(noiseMode, forKey: .noiseMode)
        try c.encodeIfPresent(noise, forKey: .noise)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(epsilon, forKey: .epsilon)
        if epsilonMode != .insideSqrt { try c.encode(epsilonMode, forKey: .epsilonMode) }
        try c.encodeIfPresent(ckaBatch, forKey: .ckaBatch)
        if readout != .flat { try c.encode(readout, forKey: .readout) }
    }
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
    public func writeCanonical(to w: inout CanonicalJSON.Writer) {
        w.beginObject()
        w.field("alpha", alpha)
        // Options added later are written only when they differ from the default that keeps the earlier behaviour,
        // so every id from before they existed is unchanged.
        if let ckaBatch { w.field("cka_batch", ckaBatch) }
        w.field("epsilon", epsilon)
        if epsilonMode != .insideSqrt { w.field("epsilon_mode", epsilonMode.rawValue) }
        w.field("guide_mode", guideMode.rawValue)
        w.field("init_steps", initSteps)
        w.field("mapping", mapping)
        // Only noise-warmup specs carry `noise` (normalized(for:)); absent, every other id is unchanged.
        if let noise { w.field("noise", noise.rawValue) }
        w.field("noise_mode", noiseMode.rawValue)
        w.field("noise_steps", noiseSteps)
        w.field("rbf_sigma", rbfSigma)
        if readout != .flat { w.field("readout", readout.rawValue) }
        w.field("similarity", similarity.rawValue)
        w.field("temperature", temperature)
        w.endObject()
    }
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
