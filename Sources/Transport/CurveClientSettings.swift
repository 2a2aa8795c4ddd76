/// CURVE settings of a client of the coordinator (a worker, `guidance status`): the coordinator's public key and
/// the client's own key pair.
public struct CurveClientSettings: Sendable {
    public var serverKey: CurvePublicKey
    public var keyPair: CurveKeyPair

    public init(serverKey: CurvePublicKey, keyPair: CurveKeyPair) {
        self.serverKey = serverKey
        self.keyPair = keyPair
    }
}
