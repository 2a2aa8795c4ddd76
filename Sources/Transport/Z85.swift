import CZeroMQ
public import Foundation

/// Z85, ZeroMQ's printable encoding of binary data (RFC 32/Z85): 4 bytes become 5 characters
/// from an 85-character alphabet that needs no quoting in source or config files.
public enum Z85 {
    /// Encodes `bytes` (length a multiple of 4) as a Z85 string (5 characters per 4 bytes).
    public static func encode(_ bytes: Data) throws -> String {
        guard bytes.count % 4 == 0 else {
            throw Z85Error(input: "\(bytes.count) bytes", reason: "length is not a multiple of 4",
                           hint: "pad the data to a multiple of 4 bytes")
        }
        if bytes.isEmpty { return "" }
        var text = [CChar](repeating: 0, count: bytes.count / 4 * 5 + 1)
        let result = bytes.withUnsafeBytes { raw in
            zmq_z85_encode(&text, raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
        }
        guard result != nil else {
            throw Z85Error(input: "\(bytes.count) bytes", reason: "libzmq could not encode it", hint: "")
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Decodes a Z85 string (length a multiple of 5, Z85 alphabet only) to bytes (4 per 5
    /// characters).
    public static func decode(_ text: String) throws -> Data {
        let characters = Array(text.utf8)
        guard characters.count % 5 == 0 else {
            throw Z85Error(input: preview(text), reason: "length \(characters.count) is not a multiple of 5",
                           hint: "a Z85 CURVE key is 40 characters")
        }
        if characters.isEmpty { return Data() }
        if let bad = characters.first(where: { !alphabet.contains($0) }) {
            throw Z85Error(input: preview(text), reason: "character \(UnicodeScalar(bad).escaped(asASCII: true)) is not in the Z85 alphabet",
                           hint: "check for spaces, quotes or a truncated copy")
        }
        var bytes = Data(count: characters.count / 5 * 4)
        let result = bytes.withUnsafeMutableBytes { raw in
            (characters.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { cString in
                zmq_z85_decode(raw.bindMemory(to: UInt8.self).baseAddress, cString.baseAddress)
            }
        }
        guard result != nil else {
            throw Z85Error(input: preview(text), reason: "not a valid Z85 string (value out of range)",
                           hint: "check for a corrupted or mistyped key")
        }
        return bytes
    }

    private static let alphabet = Set(
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)

    /// At most 12 characters of the input, so error messages never echo a whole secret key.
    private static func preview(_ text: String) -> String {
        text.count <= 12 ? "\"\(text)\"" : "\"\(text.prefix(8))…\" (\(text.count) characters)"
    }
}

/// A string or byte count that is not valid Z85.
public struct Z85Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// A short preview of the input (never the whole of a long string).
    public let input: String
    public let reason: String
    public let hint: String

    public var description: String {
        hint.isEmpty ? "Z85 \(input): \(reason)" : "Z85 \(input): \(reason) (\(hint))"
    }
}
