/// Rate limit for log lines caused by peers: at most `perInterval` lines per peer per interval; the rest are
/// counted and the count is reported with that peer's next logged line (`… (N more like it from PEER in the
/// last S s not shown)`). A flood of hostile messages becomes a few lines per interval, not one per message.
/// Memory: one counter per peer heard from in the current and previous interval.
struct PeerWarnings {
    let interval: Double
    let perInterval: Int
    private var windowStart = -Double.infinity
    private var counts: [String: Int] = [:]
    private var suppressed: [String: Int] = [:]

    init(interval: Double = 10, perInterval: Int = 5) {
        self.interval = interval
        self.perInterval = perInterval
    }

    /// Whether a line about `peer` may be logged at `now`, and how many earlier lines about it were not.
    /// Returns nil when this one must be suppressed.
    mutating func admit(_ peer: String, now: Double) -> Int? {
        if now - windowStart >= interval {
            windowStart = now
            // Counts of the closed window that were never reported are carried to the next line about that peer.
            var carried: [String: Int] = [:]
            for (name, count) in counts where count > perInterval { carried[name] = count - perInterval }
            for (name, count) in suppressed where carried[name] == nil { carried[name] = count }
            suppressed = carried
            counts = [:]
        }
        let count = counts[peer, default: 0] + 1
        counts[peer] = count
        guard count <= perInterval else { return nil }
        let hidden = suppressed.removeValue(forKey: peer) ?? 0
        return hidden
    }

    /// The suffix for a logged line that follows `hidden` suppressed ones.
    func suffix(_ hidden: Int, peer: String) -> String {
        hidden == 0 ? "" : " (\(hidden) more like it from \(peer) not shown, at most \(perInterval) lines per \(Int(interval)) s)"
    }
}
