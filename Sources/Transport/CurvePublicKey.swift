public import Foundation

/// A CURVE (Curve25519) public key: 32 bytes, written as 40 Z85 characters.
/// Safe to log; ``fingerprint`` is the short form used in logs.
public struct CurvePublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The raw key, exactly 32 bytes.
    public let bytes: Data

    /// Wraps 32 raw key bytes.
    public init(bytes: Data) throws {
        guard bytes.count == 32 else {
            throw Z85Error(input: "\(bytes.count) bytes", reason: "a CURVE public key is 32 bytes", hint: "")
        }
        self.bytes = Data(bytes)
    }

    /// Parses the 40-character Z85 form (surrounding whitespace is ignored).
    public init(z85: String) throws {
        let text = z85.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 40 else {
            throw Z85Error(input: "\(text.utf8.count) characters", reason: "a Z85 CURVE public key is 40 characters",
                           hint: "copy the whole key from the .key file")
        }
        try self.init(bytes: Z85.decode(text))
    }

    /// The 40-character Z85 form.
    public var z85: String {
        // 32 bytes (checked in init) always encode, so the fallback is never taken.
        (try? Z85.encode(bytes)) ?? ""
    }

    /// The first 8 Z85 characters: enough to tell keys apart in logs.
    public var fingerprint: String { String(z85.prefix(8)) }

    public var description: String { z85 }
}
