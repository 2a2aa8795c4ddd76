public import ModelSchema

extension ModelFamily {
    /// Why this family cannot produce `output` from `input`, or nil when it can.
    public func incompatibility(input: ModelInput, output: ModelOutput) -> String? {
        switch output {
        case .nextToken:
            guard [.rnn, .lstm, .transformer].contains(self) else {
                return "\(rawValue) sees both sides of a position and cannot be a causal next-token model; use rnn, lstm or transformer"
            }
            guard case .tokens = input else { return "next-token outputs need token inputs, got \(input)" }
        case .perToken:
            guard case .tokens = input else { return "per-token outputs need token inputs, got \(input)" }
        case .classes:
            break
        }
        return nil
    }
}
