import Foundation
import Store
import Sweep
import Wire

extension CoordinatorRun {
    /// One multipart message from the ROUTER: [routing id, frames...]. Never throws for bad input; throws
    /// only when the results directory fails.
    func receive(_ frames: [Data]) throws {
        guard frames.count >= 2 else {
            logger.warning("dropped a message without a routing id")
            return
        }
        let identity = frames[0]
        if frames.count >= 3, case .drop(let report) = rateLimiter.admit(identity, kind: frames[2], now: now) {
            if let report {
                logger.warning("\(Self.peerName(identity)) sends \(String(decoding: frames[2].prefix(16), as: UTF8.self)) and the like faster than \(Int(rateLimiter.perSecond))/s; dropped \(report) (said once per \(Int(rateLimiter.complaintInterval)) s per peer)")
            }
            return
        }
        let peer = Self.peerName(identity)
        // With CURVE every message carries the key of its connection (the ZAP handler's user id).
        let key: String? = options.curve == nil ? nil : (router.receivedUserID ?? "")
        currentPeer = peer
        defer { currentPeer = nil }
        let message: Message
        do {
            message = try Message.decode(Array(frames[1...]))
        } catch {
            warn(about: peer, "dropped a message from \(peer): \(error)")
            if case .wrongVersion = error {
                reply(.refused(Refusal(reason: error.description, hint: "run the same Guidance version on the coordinator and the workers")),
                      to: identity)
            }
            return
        }
        if let key {
            switch message {
            case .ready, .heartbeat, .result, .failed, .fetch, .disconnect:
                guard authorize(message.kind, from: peer, key: key) else { return }
            case .status, .job, .artifact, .statusReply, .refused:
                break
            }
        }
        switch message {
        case .ready(let ready):
            if ready.worker != peer {
                logger.notice("worker \(peer) calls itself \(ready.worker); using its routing id")
            }
            guard ready.versions.protocol == Int(WireProtocol.version) else {
                reply(.refused(Refusal(reason: "READY says protocol \(ready.versions.protocol), this coordinator speaks \(WireProtocol.version)",
                                       hint: "run the same Guidance version on both sides")), to: identity)
                return
            }
            identities[peer] = identity
            logger.info("worker \(peer) ready: \(ready.slots) slot(s), host \(ready.host), \(ready.cores) cores")
            let cap = min(state.config.maxSlotsPerWorker, max(ready.cores, 1))
            if ready.slots > cap {
                warn(about: peer, "worker \(peer) offers \(ready.slots) slots but gets at most \(cap) jobs at once (the cores it reported, at most --max-worker-slots \(state.config.maxSlotsPerWorker))")
            }
            try handle(.workerReady(peer, slots: ready.slots, info: WorkerInfo(ready, principal: key)))
        case .heartbeat(let heartbeat):
            identities[peer] = identity
            // Jobs still running for an earlier coordinator run are expected after a restart: not worth a log line.
            let prefix = state.config.leasePrefix + "-"
            try handle(.heartbeat(peer, leases: heartbeat.leases.filter { $0.lease.rawValue.hasPrefix(prefix) },
                                  guideCache: heartbeat.guideCache))
        case .result(let report, let bytes):
            identities[peer] = identity
            try result(report, bytes: bytes, from: peer, identity: identity)
        case .failed(let failure):
            identities[peer] = identity
            try handle(.failed(peer, lease: failure.lease, reason: failure.reason, retryable: failure.retryable))
        case .fetch(let ref):
            guard state.needsArtifact(ref.sha256, worker: peer) else {
                warn(about: peer, "refused FETCH of artifact \(ref.sha256) from \(peer): none of its leases needs it")
                reply(.refused(Refusal(reason: "artifact \(ref.sha256) unavailable: no lease of yours needs it")), to: identity)
                return
            }
            do {
                let bytes = try store.artifacts.get(ref.sha256)
                reply(.artifact(ref, bytes: bytes), to: identity)
            } catch {
                logger.error("cannot serve artifact \(ref.sha256) to \(peer): \(error)")
                reply(.refused(Refusal(reason: "artifact \(ref.sha256) unavailable: \(error)")), to: identity)
            }
        case .disconnect(let goodbye):
            logger.info("worker \(peer) disconnects: \(goodbye.reason)")
            try handle(.disconnect(peer))
            identities[peer] = nil
        case .status:
            reply(.statusReply(statusReply(forKey: key)), to: identity)
        case .job, .artifact, .statusReply, .refused:
            warn(about: peer, "dropped an unexpected \(message.kind.rawValue) from \(peer)")
        }
    }

    /// RESULT: store the checkpoint (content-addressed) first, then let the state machine decide whether the
    /// record counts (first result wins). The report carries no spec (protocol 2): the record gets the plan's.
    private func result(_ report: ResultReport, bytes: Data?, from peer: WorkerID, identity: Data) throws {
        guard let spec = plan[report.record.id]?.spec else {
            warn(about: peer, "dropped a RESULT from \(peer): job \(report.record.id) is not in this sweep's plan")
            try handle(.failed(peer, lease: report.lease, reason: "the reported job \(report.record.id) is not in this sweep's plan",
                               retryable: true))
            return
        }
        var record = report.record.record(spec: spec)
        if state.acceptsResult(from: peer, lease: report.lease, job: record.id) {
            // It will count: checkpoint now, record at the end of this turn, both before the state machine sees it.
            if bytes == nil, let claimed = record.artifact, !store.artifacts.contains(claimed) {
                record.artifact = nil  // a hash without the bytes would point at nothing
            }
            accept(record, bytes: bytes, lease: report.lease, from: peer, identity: identity)
        } else {
            try handle(.result(peer, lease: report.lease, record: record, artifact: nil))  // dropped (duplicate, late, foreign)
        }
    }

    /// A printable name for a routing id: the worker id it carries, or `peer-<hex>` for a generated one.
    static func peerName(_ identity: Data) -> WorkerID {
        if let text = String(data: identity, encoding: .utf8), !text.isEmpty,
           text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7f }) {
            return text
        }
        return "peer-" + identity.map { String(format: "%02x", $0) }.joined()
    }
}
