import Foundation
import Sweep
import Wire

extension WorkerService {
    /// A JOB arrived: fetch its guide checkpoint first if needed, else queue it for a free slot.
    func accept(_ assignment: JobAssignment) {
        guard jobs[assignment.lease] == nil else { return }
        if let roots = options.dataRoots, let refusal = roots.refusal(for: assignment.spec) {
            logger.error("refused job \(assignment.id.short): \(refusal)")
            outbox.append(.failed(FailureReport(lease: assignment.lease, job: assignment.id, reason: refusal.wireDescription,
                                                retryable: true)))
            return
        }
        logger.info("job \(assignment.id.short) (attempt \(assignment.attempt)): \(assignment.spec.summary)")
        var job = LocalJob(assignment: assignment, phase: .queued,
                           progress: LeaseProgress(lease: assignment.lease, step: 0, totalSteps: assignment.spec.training.steps))
        if let hash = assignment.guideArtifact, !cache.contains(hash) {
            job.phase = .fetching(since: now)
            let alreadyAsked = jobs.values.contains { if case .fetching = $0.phase { $0.assignment.guideArtifact == hash } else { false } }
            jobs[assignment.lease] = job
            if !alreadyAsked { requestFetch(hash) }
            return
        }
        jobs[assignment.lease] = job
        queue.append(assignment.lease)
    }

    func requestFetch(_ hash: String) {
        outbox.append(.fetch(ArtifactRef(sha256: hash)))
    }

    /// ARTIFACT arrived: cache it and queue the jobs that waited for it (or fail them if the bytes are wrong).
    func received(artifact hash: String, bytes: Data) throws {
        let waiting = jobs.filter { if case .fetching = $0.value.phase { $0.value.assignment.guideArtifact == hash } else { false } }
        do {
            _ = try cache.store(bytes, as: hash)
            for lease in waiting.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                jobs[lease]?.phase = .queued
                queue.append(lease)
            }
        } catch {
            logger.error("\(error)")
            for lease in waiting.keys { finish(lease, .failed(reason: "guide checkpoint: \(error)", retryable: true)) }
        }
    }

    /// Starts queued jobs while slots are free, each on its own training thread.
    func startQueuedJobs() {
        var running = jobs.values.filter { if case .running = $0.phase { true } else { false } }.count
        while running < options.slots, !queue.isEmpty {
            let lease = queue.removeFirst()
            guard var job = jobs[lease], case .queued = job.phase else { continue }
            job.phase = .running
            jobs[lease] = job
            running += 1
            let assignment = job.assignment
            let guide = assignment.guideArtifact.flatMap { cache.url(for: $0) }
            let executor = self.executor, mailbox = self.mailbox, control = self.control
            let context = JobContext(worker: options.ref, progress: { mailbox.post($0) },
                                     shouldStop: { control.isStopRequested })
            let thread = Thread {
                let execution = executor.execute(assignment, guideCheckpoint: guide, context: context)
                mailbox.post(finished: assignment.lease, execution)
            }
            thread.name = "training \(assignment.id.short)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Picks up progress and finished jobs from the training threads.
    func collectFromTrainingThreads() throws {
        let (progress, finished) = mailbox.drain()
        for (lease, update) in progress where jobs[lease] != nil { jobs[lease]?.progress = update }
        for (lease, execution) in finished { finish(lease, execution) }
    }

    /// Reports a finished job (RESULT or FAILED, kept in the outbox until the coordinator can take it).
    func finish(_ lease: LeaseID, _ execution: JobExecution) {
        guard let job = jobs.removeValue(forKey: lease) else { return }
        queue.removeAll { $0 == lease }
        switch execution {
        case .finished(var record, let checkpoint):
            logger.info("job \(job.assignment.id.short) \(record.status.state) in \(String(format: "%.1f", record.wallSeconds)) s")
            if case .failed(let error, let retryable) = record.status {
                logger.warning("job \(job.assignment.id.short) failed: \(error)")
                record.status = .failed(error: WireSafeText.failure(error, spec: job.assignment.spec, worker: options.id),
                                        retryable: retryable)
            }
            outbox.append(.result(ResultReport(lease: lease, record: record), artifact: checkpoint))
        case .failed(let reason, let retryable):
            logger.warning("job \(job.assignment.id.short) failed\(retryable ? " (retryable)" : ""): \(reason)")
            outbox.append(.failed(FailureReport(lease: lease, job: job.assignment.id,
                                                reason: WireSafeText.failure(reason, spec: job.assignment.spec, worker: options.id),
                                                retryable: retryable)))
        }
    }

    /// Fails jobs whose guide checkpoint did not arrive in time (the coordinator may retry elsewhere).
    func expireFetches() {
        let limit = options.fetchTimeout.seconds
        for (lease, job) in jobs {
            guard case .fetching(let since) = job.phase, now - since > limit else { continue }
            finish(lease, .failed(reason: "guide checkpoint \(job.assignment.guideArtifact ?? "") did not arrive within \(Int(limit)) s",
                                  retryable: true))
        }
    }
}
