import Foundation

/// One ZAP request (ZeroMQ RFC 27) and the reply to it: the pure part of the ZAP handler.
///
/// Request frames: version `1.0`, request id, domain, address, routing id, mechanism, then
/// the credentials (CURVE: one frame, the client's 32-byte public key). Reply frames: version,
/// request id, status code (`200` in, `400` refused, `500` error), status text, user id,
/// metadata (empty).
struct ZAPRequest: Equatable {
    var requestID: Data
    var peer: ZAPPeer

    /// Parses request frames; throws a reason string (the reply's status text) if malformed.
    init(frames: [Data]) throws(ZAPRequestError) {
        guard frames.count >= 6 else { throw ZAPRequestError("\(frames.count) frames, expected at least 6") }
        guard frames[0] == Data("1.0".utf8) else { throw ZAPRequestError("unsupported ZAP version") }
        requestID = frames[1]
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        var key: CurvePublicKey?
        if mechanism == "CURVE" {
            guard frames.count == 7, let parsed = try? CurvePublicKey(bytes: frames[6]) else {
                throw ZAPRequestError("CURVE credentials are not one 32-byte key")
            }
            key = parsed
        }
        peer = ZAPPeer(address: String(decoding: frames[3], as: UTF8.self), mechanism: mechanism,
                       domain: String(decoding: frames[2], as: UTF8.self), publicKey: key)
    }

    /// Decides on `frames` against `allowed` keys: the reply frames and the event to report.
    /// Only CURVE clients with an allowed key get `200`.
    static func answer(_ frames: [Data], allowed: Set<CurvePublicKey>) -> (reply: [Data], event: ZAPEvent) {
        let request: ZAPRequest
        do {
            request = try ZAPRequest(frames: frames)
        } catch {
            let requestID = frames.count > 1 ? frames[1] : Data()
            let peer = ZAPPeer(address: frames.count > 3 ? String(decoding: frames[3], as: UTF8.self) : "?",
                               mechanism: frames.count > 5 ? String(decoding: frames[5], as: UTF8.self) : "?",
                               domain: frames.count > 2 ? String(decoding: frames[2], as: UTF8.self) : "",
                               publicKey: nil)
            return (reply(requestID, "500", error.reason, userID: ""),
                    .refused(peer, reason: "malformed ZAP request: \(error.reason)"))
        }
        let peer = request.peer
        guard let key = peer.publicKey else {
            return (reply(request.requestID, "400", "CURVE required", userID: ""),
                    .refused(peer, reason: "mechanism \(peer.mechanism) is not allowed, CURVE is required"))
        }
        guard allowed.contains(key) else {
            return (reply(request.requestID, "400", "key not allowed", userID: ""),
                    .refused(peer, reason: "public key \(peer.fingerprint) is not on the allow-list"))
        }
        return (reply(request.requestID, "200", "OK", userID: key.z85), .accepted(peer))
    }

    private static func reply(_ requestID: Data, _ code: String, _ text: String, userID: String) -> [Data] {
        [Data("1.0".utf8), requestID, Data(code.utf8), Data(text.utf8), Data(userID.utf8), Data()]
    }
}

/// Why a ZAP request could not be parsed.
struct ZAPRequestError: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
