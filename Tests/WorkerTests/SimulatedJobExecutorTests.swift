import Foundation
import Sweep
import Wire
import Worker
import XCTest

/// Test jobs behave as their options say (they drive the end-to-end runner tests).
final class SimulatedJobExecutorTests: XCTestCase {
    func assignment(_ options: SimulatedJobOptions, attempt: Int = 1, save: Bool = false) -> JobAssignment {
        let spec = JobSpec(task: TaskSpec(name: "t"), target: ModelSpec(family: "fcn"), seed: 3, kind: .test(options))
        return JobAssignment(id: spec.id, spec: spec, lease: LeaseID(rawValue: "L-1"), attempt: attempt, leaseSeconds: 3,
                             saveCheckpoint: save)
    }

    let context = JobContext(worker: WorkerRef(id: "w", host: "h"), progress: { _ in }, shouldStop: { false })

    func testFailsRetryablyOnTheFirstAttemptsThenSucceeds() {
        let executor = SimulatedJobExecutor()
        for attempt in 1...2 {
            guard case .failed(_, true) = executor.execute(assignment(SimulatedJobOptions(failTimes: 2), attempt: attempt),
                                                           guideCheckpoint: nil, context: context) else {
                return XCTFail("attempt \(attempt) should fail retryably")
            }
        }
        guard case .finished(let record, nil) = executor.execute(assignment(SimulatedJobOptions(failTimes: 2), attempt: 3),
                                                                 guideCheckpoint: nil, context: context) else {
            return XCTFail("attempt 3 should succeed")
        }
        XCTAssertEqual(record.status, .ok)
        XCTAssertEqual(record.metrics["test_value"], 3)
    }

    func testPermanentFailureAndDivergence() {
        let executor = SimulatedJobExecutor()
        guard case .failed(_, false) = executor.execute(assignment(SimulatedJobOptions(failPermanent: true)), guideCheckpoint: nil,
                                                        context: context) else { return XCTFail("permanent failure expected") }
        guard case .finished(let record, _) = executor.execute(assignment(SimulatedJobOptions(diverge: true)), guideCheckpoint: nil,
                                                               context: context) else { return XCTFail("record expected") }
        XCTAssertEqual(record.status.state, "diverged")
    }

    func testCheckpointBytesMatchTheRecordedHash() {
        guard case .finished(let record, let bytes?) = SimulatedJobExecutor().execute(
            assignment(SimulatedJobOptions(), save: true), guideCheckpoint: nil, context: context) else {
            return XCTFail("a checkpoint was asked for")
        }
        XCTAssertEqual(record.artifact, ContentHash.sha256Hex(bytes))
    }

    func testStopsEarlyWhenTheWorkerStops() {
        let stopping = JobContext(worker: WorkerRef(id: "w", host: "h"), progress: { _ in }, shouldStop: { true })
        let start = Date()
        guard case .failed(_, true) = SimulatedJobExecutor().execute(assignment(SimulatedJobOptions(sleepMs: 5000)), guideCheckpoint: nil,
                                                                context: stopping) else { return XCTFail("expected a retryable stop") }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testCUDAJobsRunOnTheWorkersGPUAndOtherJobsWhereTheirSpecSays() {
        XCTAssertEqual(TrainingJobExecutor.device(for: "cuda", cudaDevice: "cuda:1"), "cuda:1")
        XCTAssertEqual(TrainingJobExecutor.device(for: "CUDA:0", cudaDevice: "cuda:1"), "cuda:1", "the index in a spec is not a placement")
        XCTAssertNil(TrainingJobExecutor.device(for: "cpu", cudaDevice: "cuda:1"), "CPU jobs stay on the CPU")
        XCTAssertNil(TrainingJobExecutor.device(for: "cuda", cudaDevice: nil), "a CPU worker does not rewrite (the trainer reports it)")
        XCTAssertEqual(StandardJobExecutor(devices: ["cuda:2"]).cudaDeviceForTraining, "cuda:2")
        XCTAssertNil(StandardJobExecutor(devices: ["cpu"]).cudaDeviceForTraining)
    }
}
