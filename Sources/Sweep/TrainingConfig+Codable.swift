// JSON and the canonical form of the training settings, both from their schemas (`SpecSchema`).

extension TrainingConfig {
    public init(from decoder: any Decoder) throws { self = try Self.schema.decode(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try Self.schema.encode(self, to: encoder) }
}

extension OptimizerConfig {
    public init(from decoder: any Decoder) throws { self = try Self.schema.decode(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try Self.schema.encode(self, to: encoder) }
}

extension ScheduleConfig {
    public init(from decoder: any Decoder) throws { self = try Self.schema.decode(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try Self.schema.encode(self, to: encoder) }
}

extension TrainingConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) { Self.schema.writeCanonical(self, to: &w) }
}

extension OptimizerConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) { Self.schema.writeCanonical(self, to: &w) }
}

extension ScheduleConfig: CanonicalEncodable {
    public func writeCanonical(to w: inout CanonicalJSON.Writer) { Self.schema.writeCanonical(self, to: &w) }
}
