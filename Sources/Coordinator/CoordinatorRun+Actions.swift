import Foundation
import Store
import Sweep
import Transport
import Wire

extension CoordinatorRun {
    /// Carries out the state machine's actions in order.
    func execute(_ actions: [CoordinatorAction]) throws {
        for action in actions {
            switch action {
            case .send(let assignment, let worker, _):
                jobOutbox.append((assignment, worker))
            case .record(let record):
                specJSON[record.id] = nil
                if prewritten.remove(record.id) != nil {  // a worker's record, written before it counted
                    recordedThisRun += 1
                    logger.info("job \(record.id.short) \(record.status.state) (\(record.worker.id))")
                } else {
                    recordBuffer.append(record)  // one the coordinator made itself (a permanent failure)
                }
            case .journal(let event):
                journalBuffer.append(event)
            case .drop(let reason):
                notice(about: currentPeer ?? "coordinator", "dropped: \(reason)")
            case .quarantine(let worker, let principal, let seconds, let expiries):
                let who = options.curve == nil ? "worker \(worker)" : "key \(Self.fingerprint(principal)) (worker \(worker))"
                logger.warning("\(who) gets no jobs for \(Int(seconds)) s: its leases expired \(expiries) times in a row without a result")
            case .requeue(let job, let after):
                logger.info("job \(job.short) will run again after \(after)")
            case .refuse(let worker, let refusal):
                send(.refused(refusal), to: worker)
            }
        }
    }

    /// Ends a loop turn: makes its results, records and journal events durable, then sends its JOBs (so a job
    /// is never running somewhere while the record of the guide it depends on could still be lost), and handles
    /// what sending caused (an unreachable worker's jobs go back to the queue) until nothing is left. While the
    /// results directory fails, what could not be written stays buffered for `flushStore`'s next attempt.
    func commit() throws {
        repeat {
            try flushResults()
            flushStore()
            let jobs = jobOutbox
            jobOutbox.removeAll(keepingCapacity: true)
            for (assignment, worker) in jobs {
                logger.debug("job \(assignment.id.short) -> \(worker) (lease \(assignment.lease), attempt \(assignment.attempt))")
                send(.job(assignment), to: worker, specJSON: encodedSpec(of: assignment))
            }
            while !followUps.isEmpty { try execute(state.handle(followUps.removeFirst(), now: now)) }
        } while !resultInbox.isEmpty || !jobOutbox.isEmpty
            || (storeProblem == nil && (!recordBuffer.isEmpty || !journalBuffer.isEmpty))
    }

    /// The JSON of `assignment`'s spec (`JobSpec.jsonBytes`), encoded at the job's first JOB and kept until its record.
    private func encodedSpec(of assignment: JobAssignment) -> Data {
        if let bytes = specJSON[assignment.id] { return bytes }
        let bytes = Data(assignment.spec.jsonBytes)
        specJSON[assignment.id] = bytes
        return bytes
    }

    /// Sends to a worker the state machine knows. A JOB that cannot be delivered puts the worker's jobs back in the
    /// queue at once (the worker is reported disconnected). Any other message that cannot be delivered is only
    /// dropped: a worker that gave a silent coordinator up (a stall, a swapped host) reconnects under the same id
    /// while its job runs, and a HEARTBEAT sent into the gap between its old and new connection must not take that
    /// job from it; a worker that is really gone loses its leases when they expire, as one that died silently does.
    /// `specJSON`: a JOB's spec, already encoded.
    func send(_ message: Message, to worker: WorkerID, specJSON: Data? = nil) {
        let delivered: Bool
        if let identity = identities[worker] {
            delivered = reply(message, to: identity, specJSON: specJSON)
        } else {
            logger.warning("no route to \(worker) for \(message.kind.rawValue)")
            delivered = false
        }
        guard !delivered, message.kind == .job else { return }
        identities[worker] = nil
        followUps.append(.disconnect(worker))
    }

    /// Sends to a routing id; false when the peer is gone (or its queue is full).
    @discardableResult
    func reply(_ message: Message, to identity: Data, specJSON: Data? = nil) -> Bool {
        do {
            let frames = try message.encode(specJSON: specJSON)
            guard try router.send([identity] + frames, mode: .dontWait) else {
                logger.warning("\(Self.peerName(identity)) is not taking messages; dropped \(message.kind.rawValue)")
                return false
            }
            return true
        } catch let error as ZMQError where error.isHostUnreachable {
            logger.info("\(Self.peerName(identity)) is gone; dropped \(message.kind.rawValue)")
            return false
        } catch {
            logger.error("cannot send \(message.kind.rawValue) to \(Self.peerName(identity)): \(error)")
            return false
        }
    }

    /// STATUS_REPLY: counts, workers with their jobs' progress, elapsed time and an ETA at this run's rate.
    func statusReply() -> StatusReply {
        var reply = state.statusReply
        for w in reply.workers.indices {
            for l in reply.workers[w].leases.indices {
                let lease = reply.workers[w].leases[l].lease
                if let job = state.job(holding: lease) {
                    reply.workers[w].leases[l].job = job
                    reply.workers[w].leases[l].summary = plan[job]?.spec.summary
                }
            }
        }
        let elapsed = (clock.now - started).seconds
        let remaining = state.activeCount - (reply.jobs["done"] ?? 0) - (reply.jobs["failed"] ?? 0)
        reply.sweep = sweepName
        reply.elapsedSeconds = elapsed
        reply.etaSeconds = recordedThisRun > 0 ? elapsed / Double(recordedThisRun) * Double(remaining) : nil
        reply.draining = draining
        return reply
    }
}
