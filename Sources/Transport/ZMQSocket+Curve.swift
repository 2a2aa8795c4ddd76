import CZeroMQ

extension ZMQSocket {
    /// Makes this socket a CURVE server (encrypted, authenticated connections): sets
    /// `ZMQ_CURVE_SERVER` and its secret key. Call before `bind`.
    ///
    /// Which clients get in is decided by the ZAP handler of the socket's context (see
    /// ``ZAPHandler``). Without a running handler libzmq lets in **every** client that knows
    /// the server's public key, so start the handler before binding.
    public func makeCurveServer(secretKey: CurveSecretKey) throws {
        try setInt32(ZMQ_CURVE_SERVER, 1, name: "ZMQ_CURVE_SERVER")
        try setBytes(ZMQ_CURVE_SECRETKEY, secretKey.bytes, name: "ZMQ_CURVE_SECRETKEY")
    }

    /// Makes this socket a CURVE client of the server whose public key is `serverKey`,
    /// authenticating with `keyPair`. Call before `connect`. With a wrong server key the
    /// handshake fails and no message gets through in either direction.
    public func makeCurveClient(serverKey: CurvePublicKey, keyPair: CurveKeyPair) throws {
        try setBytes(ZMQ_CURVE_SERVERKEY, serverKey.bytes, name: "ZMQ_CURVE_SERVERKEY")
        try setBytes(ZMQ_CURVE_PUBLICKEY, keyPair.publicKey.bytes, name: "ZMQ_CURVE_PUBLICKEY")
        try setBytes(ZMQ_CURVE_SECRETKEY, keyPair.secretKey.bytes, name: "ZMQ_CURVE_SECRETKEY")
    }
}
