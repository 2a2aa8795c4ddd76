import CZeroMQ

/// A CURVE key pair. Generate one per coordinator and per worker; share only the public key.
public struct CurveKeyPair: Hashable, Sendable {
    public let publicKey: CurvePublicKey
    public let secretKey: CurveSecretKey

    public init(publicKey: CurvePublicKey, secretKey: CurveSecretKey) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// Rebuilds the pair from a secret key (the public key is derived from it).
    public init(secretKey: CurveSecretKey) throws {
        self.init(publicKey: try secretKey.publicKey(), secretKey: secretKey)
    }

    /// A fresh random pair (`zmq_curve_keypair`, libsodium's random source).
    /// - Throws: ``ZMQError`` when libzmq lacks CURVE support (see ``hasCurve()``).
    public static func generate() throws -> CurveKeyPair {
        var publicText = [CChar](repeating: 0, count: 41)
        var secretText = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&publicText, &secretText) == 0 else {
            throw ZMQError.last("zmq_curve_keypair", hint: "libzmq was built without CURVE (see hasCurve())")
        }
        func string(_ text: [CChar]) -> String {
            String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CurveKeyPair(publicKey: try CurvePublicKey(z85: string(publicText)),
                            secretKey: try CurveSecretKey(z85: string(secretText)))
    }
}
