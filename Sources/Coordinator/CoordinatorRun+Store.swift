import Foundation
import Store
import Sweep
import Wire

/// A worker's RESULT that will count once its record is on disk (`CoordinatorRun.flushResults`).
struct PendingResult {
    var peer: WorkerID
    var lease: LeaseID
    /// With `artifact` set to the stored checkpoint's hash when the RESULT carried one.
    var record: JobRecord
    var identity: Data
}

extension CoordinatorRun {
    /// Seconds a worker waits before sending a refused RESULT again, and between the coordinator's own
    /// attempts to write while the results directory fails.
    static let storeRetrySeconds = 1.0

    /// A RESULT the state machine will count: its checkpoint is stored now (content-addressed), its record
    /// waits for the end of the loop turn (`flushResults`), so that many results cost one fsync.
    func accept(_ record: JobRecord, bytes: Data?, lease: LeaseID, from peer: WorkerID, identity: Data) {
        var record = record
        if let bytes {
            do {
                record.artifact = try store.artifacts.put(bytes)
            } catch {
                storeFailed(error, writing: "job \(record.id.short)'s checkpoint")
                turnAway(PendingResult(peer: peer, lease: lease, record: record, identity: identity), error)
                return
            }
        }
        resultInbox.append(PendingResult(peer: peer, lease: lease, record: record, identity: identity))
    }

    /// Writes this turn's accepted RESULTs (one fsync) *before* the state machine counts them: a job is never
    /// done in memory without its record on disk. When the write fails, each RESULT is turned away (REFUSED with
    /// its lease and `retry_after_seconds`): its worker keeps it, keeps the lease alive and sends it again.
    func flushResults() throws {
        guard !resultInbox.isEmpty else { return }
        let batch = resultInbox
        resultInbox.removeAll(keepingCapacity: true)
        let alreadyStored = Set(batch.map(\.record.id).filter { store.hasFinalRecord($0) })
        do {
            try store.record(contentsOf: batch.map(\.record), specJSON: specJSON)
        } catch {
            storeFailed(error, writing: "\(batch.count) record(s)")
            for result in batch { turnAway(result, error) }
            return
        }
        for result in batch where !alreadyStored.contains(result.record.id) { prewritten.insert(result.record.id) }
        nextStoreRetry = now
        storeWorks()
        for result in batch {
            try handle(.result(result.peer, lease: result.lease, record: result.record, artifact: result.record.artifact))
        }
    }

    /// Writes the records the coordinator made itself, then the journal events (so a `completed` line never
    /// precedes its record), one fsync each. A failure (disk full, unwritable directory) keeps them for the
    /// next attempt, a second later, and stops the coordinator from taking results until writes work again.
    func flushStore() {
        if storeProblem != nil, now < nextStoreRetry { return }
        guard !recordBuffer.isEmpty || !journalBuffer.isEmpty else {
            guard storeProblem != nil else { return }
            do {
                try store.probeWritable()
                storeWorks()
            } catch {
                storeFailed(error, writing: "a probe file")
            }
            return
        }
        do {
            if !recordBuffer.isEmpty {
                let skipped = try store.record(contentsOf: recordBuffer, specJSON: specJSON)
                for id in skipped { logger.warning("second record for job \(id) not stored (first result wins)") }
                recordedThisRun += recordBuffer.count - skipped.count
                for record in recordBuffer where !skipped.contains(record.id) {
                    logger.info("job \(record.id.short) \(record.status.state) (\(record.worker.id))")
                }
                recordBuffer.removeAll(keepingCapacity: true)
            }
            if !journalBuffer.isEmpty {
                try store.append(journalBuffer)
                journalBuffer.removeAll(keepingCapacity: true)
            }
            storeWorks()
        } catch {
            storeFailed(error, writing: recordBuffer.isEmpty ? "the journal" : "\(recordBuffer.count) record(s)")
        }
    }

    /// REFUSED for a RESULT that could not be stored: the worker keeps it and sends it again.
    private func turnAway(_ result: PendingResult, _ error: any Error) {
        logger.warning("RESULT for job \(result.record.id.short) from \(result.peer) not taken: the results directory cannot be written; the worker keeps it and retries")
        reply(.refused(Refusal(reason: "results store unavailable: \(error)", hint: "keep the result and send it again later",
                               lease: result.lease, retryAfterSeconds: Self.storeRetrySeconds)), to: result.identity)
    }

    /// A write failed: say so once (then every 30 s), stop dispatching, try again in a second.
    func storeFailed(_ error: any Error, writing what: String) {
        if storeProblem == nil || now >= nextStoreComplaint {
            logger.error("cannot write \(what) in \(resultsDirectory.path): \(error); not taking results or handing out jobs until it can be written (workers keep their results and retry)")
            nextStoreComplaint = now + 30
        }
        nextStoreRetry = now + Self.storeRetrySeconds
        storeProblem = String(describing: error)
        state.isDispatchPaused = true
    }

    /// A write worked: end an outage once nothing is left waiting.
    func storeWorks() {
        guard storeProblem != nil, journalBuffer.isEmpty, recordBuffer.isEmpty else { return }
        storeProblem = nil
        state.isDispatchPaused = draining
        logger.notice("the results directory can be written again; taking results and handing out jobs")
    }
}
