/// Why a multipart message could not be decoded (or encoded). Every case says what was found.
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A message has 3 frames (tag+version, kind, JSON) or 4 (plus binary).
    case frameCount(Int)
    /// The first frame is not `GDNC` + version byte: not a Guidance peer.
    case notGuidance
    /// A Guidance peer speaking another protocol version.
    case wrongVersion(found: UInt8, expected: UInt8)
    /// The kind frame names no known kind (shown sanitized, at most 32 characters).
    case unknownKind(String)
    /// The JSON body does not decode as the kind's body.
    case garbledJSON(kind: String, detail: String)
    /// A frame is larger than the protocol allows (frame index, its size, the limit; bytes).
    case oversize(frame: Int, bytes: Int, limit: Int)
    /// The kind requires the binary frame (ARTIFACT) and it is absent.
    case missingBinary(kind: String)
    /// The kind carries no binary frame but one came.
    case unexpectedBinary(kind: String)
    /// Our own value could not be encoded (a bug).
    case unencodable(kind: String, detail: String)

    public var description: String {
        switch self {
        case .frameCount(let n): return "expected 3 or 4 frames (tag+version, kind, JSON[, binary]), got \(n)"
        case .notGuidance: return "first frame is not the Guidance tag GDNC + version byte: not a Guidance peer"
        case .wrongVersion(let found, let expected):
            return "protocol version \(found), this side speaks \(expected) (run the same Guidance version on both sides)"
        case .unknownKind(let kind): return "unknown message kind \"\(kind)\""
        case .garbledJSON(let kind, let detail): return "\(kind) body is not valid: \(detail)"
        case .oversize(let frame, let bytes, let limit): return "frame \(frame) has \(bytes) bytes, the limit is \(limit)"
        case .missingBinary(let kind): return "\(kind) needs a binary frame and has none"
        case .unexpectedBinary(let kind): return "\(kind) carries no binary frame but one was sent"
        case .unencodable(let kind, let detail): return "cannot encode \(kind): \(detail)"
        }
    }
}
