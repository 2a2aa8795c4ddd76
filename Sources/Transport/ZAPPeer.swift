/// A peer asking the ZAP handler to be let in, as described by libzmq's ZAP request.
public struct ZAPPeer: Sendable, Equatable, CustomStringConvertible {
    /// The peer's IP address as libzmq reports it (no port), e.g. `127.0.0.1`.
    public let address: String
    /// The security mechanism: `CURVE`, `PLAIN` or `NULL`.
    public let mechanism: String
    /// The server socket's ZAP domain (empty unless set with `.zapDomain`).
    public let domain: String
    /// The client's long-term public key (CURVE only).
    public let publicKey: CurvePublicKey?

    public init(address: String, mechanism: String, domain: String, publicKey: CurvePublicKey?) {
        self.address = address
        self.mechanism = mechanism
        self.domain = domain
        self.publicKey = publicKey
    }

    /// First 8 Z85 characters of the public key, or `none`.
    public var fingerprint: String { publicKey?.fingerprint ?? "none" }

    public var description: String { "\(address) key \(fingerprint) (\(mechanism))" }
}

/// What the ZAP handler reports to its owner (for logging).
public enum ZAPEvent: Sendable, Equatable {
    /// A CURVE client whose key is on the allow-list was let in.
    case accepted(ZAPPeer)
    /// A client was refused (`reason` says why: unknown key, wrong mechanism, bad request).
    case refused(ZAPPeer, reason: String)
    /// The handler thread stopped on an error other than a stop request: from now on libzmq
    /// lets in any client that knows the server key, so close the server socket.
    case failed(String)
}
