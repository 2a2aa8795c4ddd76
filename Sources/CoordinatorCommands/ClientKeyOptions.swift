public import ArgumentParser
public import Transport

/// `--keys DIR`, `--key FILE`, `--coordinator-key FILE`: CURVE for a client of the coordinator (worker, status).
public struct ClientKeyOptions: ParsableArguments {
    @Option(help: "Key directory from `guidance keys generate`: coordinator.key and this client's worker.key_secret.")
    var keys: String?
    @Option(help: "This client's secret key file (default: DIR/worker.key_secret, else the first DIR/worker-N.key_secret).")
    var key: String?
    @Option(name: .customLong("coordinator-key"), help: "The coordinator's public key file (default: DIR/coordinator.key).")
    var coordinatorKey: String?

    public init() {}

    /// CURVE client settings, or nil for plain TCP when no key option is given.
    /// `asOperator`: prefer DIR/coordinator.key_secret (the operator's key, full status view) when present.
    public func settings(asOperator: Bool = false) throws -> CurveClientSettings? {
        try KeyDirectory.clientSettings(directory: keys, key: key, coordinatorKey: coordinatorKey, asOperator: asOperator)
    }
}
