import Foundation

/// Per-peer token buckets for the messages a peer may repeat at will (STATUS, HEARTBEAT, FETCH, READY), so that one
/// peer flooding them cannot keep the coordinator's loop busy or fill its queue of replies. RESULT, FAILED and
/// DISCONNECT are never limited (each carries work that must not be lost, and is bounded by the slots a worker holds).
///
/// A peer may send `burst` such messages at once and `perSecond` on average; the excess is dropped before it is
/// decoded. The first drop of a peer in each `complaintInterval` is reported (to be logged once), with the count
/// dropped since the last report.
struct PeerRateLimiter {
    struct Bucket {
        var tokens: Double
        var updated: Double
        var dropped = 0
        var nextComplaint = 0.0
    }

    /// Sustained messages per second per peer. Default 50 (a worker heartbeats once per interval, 1 s by default).
    let perSecond: Double
    /// Messages a peer may send at once. Default 200.
    let burst: Double
    /// Seconds between two reports about the same peer. Default 10.
    let complaintInterval: Double
    private var buckets: [Data: Bucket] = [:]
    private var nextPrune = 0.0

    init(perSecond: Double = 50, burst: Double = 200, complaintInterval: Double = 10) {
        self.perSecond = perSecond
        self.burst = burst
        self.complaintInterval = complaintInterval
    }

    /// The message kinds limited (frame 1 of a message, ASCII).
    static let limitedKinds: Set<Data> = Set(["STATUS", "HEARTBEAT", "FETCH", "READY"].map { Data($0.utf8) })

    enum Verdict: Equatable {
        case admit
        /// Dropped; `report` holds the number dropped since the last report when this drop should be logged.
        case drop(report: Int?)
    }

    /// Whether a message of `kind` (the kind frame's bytes) from `peer` at time `now` (seconds) is taken.
    mutating func admit(_ peer: Data, kind: Data, now: Double) -> Verdict {
        guard Self.limitedKinds.contains(kind) else { return .admit }
        prune(now: now)
        var bucket = buckets[peer] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
        bucket.updated = now
        defer { buckets[peer] = bucket }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return .admit
        }
        bucket.dropped += 1
        guard now >= bucket.nextComplaint else { return .drop(report: nil) }
        bucket.nextComplaint = now + complaintInterval
        defer { bucket.dropped = 0 }
        return .drop(report: bucket.dropped)
    }

    /// Forgets peers whose bucket is full again (quiet for long enough), so that many short-lived peers cost nothing.
    private mutating func prune(now: Double) {
        guard now >= nextPrune else { return }
        nextPrune = now + complaintInterval
        let refill = burst / perSecond
        buckets = buckets.filter { now - $0.value.updated < max(refill, complaintInterval) }
    }
}
