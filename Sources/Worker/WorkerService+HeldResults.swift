import Foundation
import Sweep
import Wire

extension WorkerService {
    /// How long a sent RESULT is kept in case the coordinator answers that it cannot store it yet. Its answer
    /// comes within a round trip, so this only bounds memory.
    static let sentResultRetentionSeconds = 60.0

    /// A RESULT the coordinator may still turn away (sent recently) or has turned away (to send again).
    struct KeptResult {
        var message: Message
        var lease: LeaseID
        var progress: LeaseProgress
        /// When it was last sent, or when to send it again (held).
        var time: Double
    }

    /// Remembers a RESULT that just went out.
    func rememberSent(_ message: Message) {
        guard case .result(let report, _) = message else { return }
        let steps = report.record.stepsDone
        sentResults[report.lease] = KeptResult(message: message, lease: report.lease,
                                               progress: LeaseProgress(lease: report.lease, step: steps, totalSteps: steps), time: now)
    }

    /// REFUSED with a lease and `retry_after_seconds`: the coordinator cannot store results right now. Keep
    /// the RESULT (its lease keeps being heartbeated, so it does not expire) and send it again later.
    func hold(_ lease: LeaseID, retryAfter seconds: Double, reason: String) {
        guard var kept = sentResults.removeValue(forKey: lease) ?? heldResults[lease] else {
            logger.warning("coordinator refused lease \(lease.rawValue)'s result, which this worker no longer has: \(reason)")
            return
        }
        kept.time = now + min(max(seconds, 0.05), 300)
        if heldResults[lease] == nil {
            logger.warning("coordinator cannot store results now (\(reason)); keeping the result of lease \(lease.rawValue) and sending it again every \(String(format: "%.1f", seconds)) s")
        }
        heldResults[lease] = kept
    }

    /// Sends held results whose time has come and forgets sent ones past retention.
    func resendHeldResults() {
        for (lease, kept) in heldResults where now >= kept.time {
            heldResults[lease] = nil
            outbox.append(kept.message)
        }
        sentResults = sentResults.filter { now - $0.value.time < Self.sentResultRetentionSeconds }
    }

    /// Progress of held results, heartbeated so that the coordinator keeps their leases.
    var heldProgress: [LeaseProgress] { heldResults.values.map(\.progress) }
}
