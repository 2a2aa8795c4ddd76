import CZeroMQ
public import Foundation

/// A CURVE (Curve25519) secret key: 32 bytes, written as 40 Z85 characters.
/// `description` is redacted so the key cannot end up in a log by accident.
public struct CurveSecretKey: Hashable, Sendable, CustomStringConvertible {
    /// The raw key, exactly 32 bytes.
    public let bytes: Data

    /// Wraps 32 raw key bytes.
    public init(bytes: Data) throws {
        guard bytes.count == 32 else {
            throw Z85Error(input: "\(bytes.count) bytes", reason: "a CURVE secret key is 32 bytes", hint: "")
        }
        self.bytes = Data(bytes)
    }

    /// Parses the 40-character Z85 form (surrounding whitespace is ignored).
    public init(z85: String) throws {
        let text = z85.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 40 else {
            throw Z85Error(input: "\(text.utf8.count) characters", reason: "a Z85 CURVE secret key is 40 characters",
                           hint: "copy the whole key from the .key_secret file")
        }
        try self.init(bytes: Z85.decode(text))
    }

    /// The 40-character Z85 form (secret: write it only to a 0600 file).
    public var z85: String { (try? Z85.encode(bytes)) ?? "" }

    /// The matching public key (`zmq_curve_public`).
    public func publicKey() throws -> CurvePublicKey {
        var publicText = [CChar](repeating: 0, count: 41)
        let secretText = Array(z85.utf8CString)
        guard zmq_curve_public(&publicText, secretText) == 0 else {
            throw ZMQError.last("zmq_curve_public", hint: "libzmq was built without CURVE (see hasCurve())")
        }
        return try CurvePublicKey(z85: String(decoding: publicText.prefix(40).map { UInt8(bitPattern: $0) },
                                              as: UTF8.self))
    }

    public var description: String { "CurveSecretKey(redacted)" }
}
