import Foundation
import Store
import Sweep
import Wire

extension CoordinatorService {
    /// Seconds a worker waits before sending a refused RESULT again, and between the coordinator's own
    /// attempts to write while the results directory fails.
    static let storeRetrySeconds = 1.0

    /// Appends this turn's journal events (one fsync). A failure (disk full, unwritable directory) keeps the
    /// events for the next attempt and stops the coordinator from taking results until writes work again.
    func flushJournal() {
        guard !journalBuffer.isEmpty else { return }
        do {
            try store.append(journalBuffer)
            journalBuffer.removeAll(keepingCapacity: true)
            storeWorks()
        } catch {
            storeFailed(error, writing: "the journal")
        }
    }

    /// While the results directory fails: every `storeRetrySeconds`, write what is waiting (the journal,
    /// records the coordinator made itself). Writes that work end the outage.
    func retryStoreIfDue() {
        guard storeProblem != nil, now >= nextStoreRetry else { return }
        nextStoreRetry = now + Self.storeRetrySeconds
        while let record = pendingRecords.first {
            do {
                try store.record(record)
            } catch StoreError.duplicateRecord {
            } catch {
                storeFailed(error, writing: "results.jsonl")
                return
            }
            pendingRecords.removeFirst()
            recordedThisRun += 1
            logger.info("job \(record.id.short) \(record.status.state) (\(record.worker.id)), stored after the outage")
        }
        if journalBuffer.isEmpty {
            do {
                try store.probeWritable()
            } catch {
                storeFailed(error, writing: "a probe file")
                return
            }
        }
        flushJournal()
        storeWorks()
    }

    /// A RESULT the state machine will record: write its checkpoint and record first, so that a failing
    /// results directory turns it away (REFUSED with `retry_after_seconds`: the worker keeps it and sends it
    /// again) instead of the coordinator counting a job whose record is not on disk. Returns false when refused.
    func storeBeforeCounting(_ record: inout JobRecord, bytes: Data?, lease: LeaseID, from peer: WorkerID, identity: Data) -> Bool {
        do {
            if let bytes { record.artifact = try store.artifacts.put(bytes) }
            try store.record(record)
            prewritten.insert(record.id)
            storeWorks()
            return true
        } catch StoreError.duplicateRecord {
            return true  // cannot happen while the state machine agrees with the store; let it drop the result
        } catch {
            storeFailed(error, writing: "job \(record.id.short)'s record")
            logger.warning("RESULT for job \(record.id.short) from \(peer) not taken: the results directory cannot be written; the worker keeps it and retries")
            reply(.refused(Refusal(reason: "results store unavailable: \(error)",
                                   hint: "keep the result and send it again later", lease: lease,
                                   retryAfterSeconds: Self.storeRetrySeconds)), to: identity)
            return false
        }
    }

    /// A write failed: say so once (then every 30 s), stop dispatching, retry later.
    func storeFailed(_ error: any Error, writing what: String) {
        if storeProblem == nil || now >= nextStoreComplaint {
            logger.error("cannot write \(what) in \(resultsDirectory.path): \(error); not taking results or handing out jobs until it can be written (workers keep their results and retry)")
            nextStoreComplaint = now + 30
        }
        if storeProblem == nil { nextStoreRetry = now + Self.storeRetrySeconds }
        storeProblem = String(describing: error)
        state.isDispatchPaused = true
    }

    /// A write worked: end an outage.
    func storeWorks() {
        guard storeProblem != nil, journalBuffer.isEmpty, pendingRecords.isEmpty else { return }
        storeProblem = nil
        state.isDispatchPaused = draining
        logger.notice("the results directory can be written again; taking results and handing out jobs")
    }
}
