import Foundation
import Logging
import Sweep
import Transport
import Wire

extension CoordinatorRun {
    /// The operator's key (Z85): the coordinator's own public key. A client holding `coordinator.key_secret`
    /// (`guidance status --keys DIR` on the coordinator's host) sees the full status; nil without CURVE.
    var operatorKey: String? { options.curve?.keyPair.publicKey.z85 }

    /// With CURVE: whether a message of `kind` from routing id `peer`, sent with the key `key` (the ZAP user id
    /// of its connection), may speak for that worker id. The first key to use a worker id owns it for this
    /// coordinator run; a message under that id with another key (a peer that took the routing id over) is
    /// dropped, so no key can report, fail, heartbeat or disconnect another key's leases.
    func authorize(_ kind: MessageKind, from peer: WorkerID, key: String) -> Bool {
        guard let owner = keyOfWorker[peer] else {
            keyOfWorker[peer] = key
            logger.info("worker id \(peer) belongs to key \(Self.fingerprint(key)) from now on")
            return true
        }
        guard owner == key else {
            warn(about: peer, "refused \(kind.rawValue) from worker id \(peer) sent with key \(Self.fingerprint(key)): that id belongs to key \(Self.fingerprint(owner))")
            return false
        }
        return true
    }

    /// STATUS_REPLY for a client with `key`: everything for the operator (and without CURVE); for a worker key,
    /// the job counts and only the workers that key owns, with their leases (other workers' ids and lease ids
    /// are not shown).
    func statusReply(forKey key: String?) -> StatusReply {
        var reply = statusReply()
        guard options.curve != nil, key != operatorKey else { return reply }
        reply.workers = reply.workers.filter { key != nil && keyOfWorker[$0.worker] == key }
        return reply
    }

    /// Logs a warning about something a peer did, at most a few lines per peer per interval (`PeerWarnings`).
    func warn(about peer: String, _ message: @autoclosure () -> String) {
        guard let hidden = peerWarnings.admit(peer, now: now) else { return }
        logger.warning("\(message())\(peerWarnings.suffix(hidden, peer: peer))")
    }

    /// Same for notices (dropped messages).
    func notice(about peer: String, _ message: @autoclosure () -> String) {
        guard let hidden = peerWarnings.admit(peer, now: now) else { return }
        logger.notice("\(message())\(peerWarnings.suffix(hidden, peer: peer))")
    }

    /// First 8 characters of a Z85 key (as `CurvePublicKey.fingerprint`).
    static func fingerprint(_ z85: String) -> String { String(z85.prefix(8)) }
}
