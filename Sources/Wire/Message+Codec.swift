public import Foundation
import Sweep

extension Message {
    /// The message as multipart frames. Throws `WireError.oversize` for a body or artifact over the limits.
    /// `specJSON`: for a JOB, its spec already encoded with `JSONCoding`'s encoder (`JobAssignment.body(specJSON:)`).
    /// JOB (with `specJSON`), RESULT and HEARTBEAT bodies are written by hand (`MessageBodies+JSON.swift`), the
    /// others with `JSONCoding`'s encoder.
    public func encode(specJSON: Data? = nil) throws -> [Data] {
        let body: Data
        var binary: Data?
        do {
            switch self {
            case .ready(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .job(let value): body = try specJSON.map(value.body(specJSON:)) ?? JSONCoding.makeEncoder().encode(value)
            case .heartbeat(let value):
                // The guide cache's counters ride on few heartbeats' worth of bytes: Codable writes them.
                body = value.guideCache == nil ? Data(value.jsonBytes()) : try JSONCoding.makeEncoder().encode(value)
            case .result(let value, let artifact): body = Data(value.jsonBytes()); binary = artifact
            case .failed(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .fetch(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .artifact(let value, let bytes): body = try JSONCoding.makeEncoder().encode(value); binary = bytes
            case .disconnect(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .status(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .statusReply(let value): body = try JSONCoding.makeEncoder().encode(value)
            case .refused(let value): body = try JSONCoding.makeEncoder().encode(value)
            }
        } catch {
            throw WireError.unencodable(kind: kind.rawValue, detail: String(describing: error))
        }
        guard body.count <= WireProtocol.maxJSONBytes else {
            throw WireError.oversize(frame: 2, bytes: body.count, limit: WireProtocol.maxJSONBytes)
        }
        var frames = [Data(WireProtocol.tag + [WireProtocol.version]), Data(kind.rawValue.utf8), body]
        if let binary {
            guard binary.count <= WireProtocol.maxFrameBytes else {
                throw WireError.oversize(frame: 3, bytes: binary.count, limit: WireProtocol.maxFrameBytes)
            }
            frames.append(binary)
        }
        return frames
    }

    /// Decodes multipart frames; never traps, whatever the bytes.
    public static func decode(_ frames: [Data]) throws(WireError) -> Message {
        guard frames.count == 3 || frames.count == 4 else { throw .frameCount(frames.count) }
        for (index, frame) in frames.enumerated() {
            let limit = index == 2 ? WireProtocol.maxJSONBytes : WireProtocol.maxFrameBytes
            if frame.count > limit { throw .oversize(frame: index, bytes: frame.count, limit: limit) }
        }
        let header = [UInt8](frames[0])
        guard header.count == WireProtocol.tag.count + 1, header.starts(with: WireProtocol.tag) else { throw .notGuidance }
        guard header[4] == WireProtocol.version else { throw .wrongVersion(found: header[4], expected: WireProtocol.version) }
        guard let kindText = String(bytes: frames[1], encoding: .utf8), let kind = MessageKind(rawValue: kindText) else {
            let shown = String(decoding: frames[1].prefix(32), as: UTF8.self)
                .unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7f ? String($0) : "?" }.joined()
            throw .unknownKind(shown)
        }
        let binary = frames.count == 4 ? frames[3] : nil
        switch (kind.binary, binary) {
        case (.none, .some): throw .unexpectedBinary(kind: kind.rawValue)
        case (.required, .none): throw .missingBinary(kind: kind.rawValue)
        default: break
        }
        let body = frames[2]
        func decodeBody<T: Decodable>(_ type: T.Type) throws(WireError) -> T {
            do {
                return try JSONCoding.makeDecoder().decode(T.self, from: body)
            } catch {
                throw .garbledJSON(kind: kind.rawValue, detail: Self.summary(of: error))
            }
        }
        switch kind {
        case .ready: return .ready(try decodeBody(Ready.self))
        case .job: return .job(try decodeBody(JobAssignment.self))
        case .heartbeat:
            if let heartbeat = Heartbeat(fastJSON: body) { return .heartbeat(heartbeat) }
            return .heartbeat(try decodeBody(Heartbeat.self))
        case .result:
            if let report = ResultReport(fastJSON: body) { return .result(report, artifact: binary) }
            return .result(try decodeBody(ResultReport.self), artifact: binary)
        case .failed: return .failed(try decodeBody(FailureReport.self))
        case .fetch: return .fetch(try decodeBody(ArtifactRef.self))
        case .artifact: return .artifact(try decodeBody(ArtifactRef.self), bytes: binary ?? Data())
        case .disconnect: return .disconnect(try decodeBody(Disconnect.self))
        case .status: return .status(try decodeBody(StatusRequest.self))
        case .statusReply: return .statusReply(try decodeBody(StatusReply.self))
        case .refused: return .refused(try decodeBody(Refusal.self))
        }
    }

    /// A one-line description of a decoding error: the field path and the problem.
    private static func summary(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error).prefix(200).description }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return text.isEmpty ? "body" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing key \"\(key.stringValue)\""
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): missing \(type) value"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return String(describing: error).prefix(200).description
        }
    }
}
