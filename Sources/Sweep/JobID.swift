import Crypto

/// A job's identity: the first 16 hex characters of the SHA-256 of its spec's canonical JSON.
/// The same cell has the same id in every run and on every machine.
public struct JobID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// 16 lower-case hex characters.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The id of `spec`.
    public init(spec: JobSpec) {
        self.init(canonicalJSON: CanonicalJSON.bytes(spec))
    }

    /// The id of a spec whose canonical JSON is `bytes`.
    public init(canonicalJSON bytes: [UInt8]) {
        self.init(sha256: SHA256.hash(data: bytes))
    }

    /// The id of a spec whose canonical JSON has this SHA-256 (its first 8 bytes in hex).
    init(sha256 digest: SHA256.Digest) {
        rawValue = ContentHash.hex(digest.prefix(8))
    }

    /// First 8 characters, for listings.
    public var short: String { String(rawValue.prefix(8)) }

    public var description: String { rawValue }

    public static func < (lhs: JobID, rhs: JobID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
