public import Foundation
import Crypto

/// SHA-256 helpers shared by job ids, the store's manifest hash and content-addressed artifacts.
public enum ContentHash {
    /// Lower-case hex SHA-256 of `bytes` (64 characters).
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Lower-case hex SHA-256 of a byte array (64 characters).
    public static func sha256Hex(bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Lower-case hex of the first `prefixBytes` bytes of the SHA-256 of `bytes` (2 × prefixBytes characters).
    public static func sha256Hex(bytes: [UInt8], prefixBytes: Int) -> String {
        hex(SHA256.hash(data: bytes).prefix(prefixBytes))
    }

    /// Whether `text` looks like a SHA-256 hex digest (64 lower-case hex characters).
    public static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
