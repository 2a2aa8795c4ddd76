extension Duration {
    /// This duration in seconds, as a Double (for timers and arithmetic on the state machines' clocks).
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
