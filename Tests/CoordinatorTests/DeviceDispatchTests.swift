import Coordinator
import Foundation
import Store
import Sweep
import Wire
import XCTest

/// A job whose `training.device` is CUDA only goes to a worker that reported a CUDA device; CPU jobs go anywhere.
final class DeviceDispatchTests: XCTestCase {
    let cpuWorker = WorkerInfo(host: "c", devices: ["cpu"], versions: versions)
    let gpuWorker = WorkerInfo(host: "g", devices: ["cuda:0"], versions: versions)

    /// `count` jobs per device in `devices` (a grid axis over `training.device`).
    func plan(devices: [String], count: Int) -> Plan {
        makePlan("tasks: [t]\ntargets: [{family: fcn}]\nseeds: \(count)\ntraining: {device: [\(devices.joined(separator: ", "))]}\n")
    }

    func device(_ job: JobAssignment) -> String { job.spec.training.device }

    func testWhichWorkersMayRunWhichDevice() {
        XCTAssertTrue(cpuWorker.canRun(device: "cpu"))
        XCTAssertFalse(cpuWorker.canRun(device: "cuda"))
        XCTAssertFalse(cpuWorker.canRun(device: "cuda:1"))
        XCTAssertTrue(gpuWorker.canRun(device: "CUDA"))
        XCTAssertTrue(gpuWorker.canRun(device: "cuda:1"))  // the index is the worker's business
        XCTAssertTrue(gpuWorker.canRun(device: "cpu"))
        XCTAssertFalse(WorkerInfo(host: "x", devices: ["cudax"], versions: versions).hasCUDA)
        XCTAssertTrue(WorkerInfo(host: "x", devices: ["cpu", "cuda:3"], versions: versions).hasCUDA)
    }

    func testCUDAJobsWaitForACUDAWorker() {
        var h = Harness(plan(devices: ["cuda"], count: 2))
        h.start()
        XCTAssertTrue(h.send(.workerReady("cpu1", slots: 4, info: cpuWorker)).sends.isEmpty)
        XCTAssertTrue(h.send(.tick).sends.isEmpty)
        XCTAssertEqual(h.state.jobCounts["queued"], 2)

        let sent = h.send(.workerReady("gpu1", slots: 1, info: gpuWorker)).sends
        XCTAssertEqual(sent.map(\.worker), ["gpu1"])
        XCTAssertEqual(sent.map { device($0.job) }, ["cuda"])

        // Its result frees the slot for the second CUDA job, still not for the idle CPU worker.
        let job = sent[0].job
        let next = h.send(.result("gpu1", lease: job.lease, record: okRecord(job, worker: "gpu1"), artifact: nil)).sends
        XCTAssertEqual(next.map(\.worker), ["gpu1"])
        XCTAssertNotEqual(next.first?.job.id, job.id)
    }

    func testCPUJobsGoAnywhereButCUDAWorkersServeCUDAJobsFirst() {
        var h = Harness(plan(devices: ["cpu", "cuda"], count: 3))  // 3 CPU and 3 CUDA jobs
        h.start()
        // A GPU worker alone takes CUDA jobs first, then fills its last slot with a CPU job.
        let gpu = h.send(.workerReady("gpu1", slots: 4, info: gpuWorker)).sends
        XCTAssertEqual(gpu.map { device($0.job) }, ["cuda", "cuda", "cuda", "cpu"])
        // The CPU worker gets the CPU jobs that are left.
        let cpu = h.send(.workerReady("cpu1", slots: 4, info: cpuWorker)).sends
        XCTAssertEqual(cpu.map { device($0.job) }, ["cpu", "cpu"])
        XCTAssertEqual(h.state.jobCounts["running"], 6)
    }

    func testCPUJobsPreferCPUWorkersWhileCUDAJobsWait() throws {
        let plan = makePlan("""
            tasks: [t]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [guided]
            guide_states: [trained]
            seeds: 2
            training: {device: [cpu, cuda]}
            """)
        var h = Harness(plan)
        h.start()
        h.send(.workerReady("cpu1", slots: 8, info: cpuWorker))
        let sent = h.send(.workerReady("gpu1", slots: 8, info: gpuWorker)).sends
        // Both kinds of jobs are out, each CUDA job on the GPU worker; CPU jobs stayed on the CPU worker.
        XCTAssertFalse(sent.isEmpty)
        for (job, worker, _) in h.send(.tick).sends + sent {
            XCTAssertEqual(worker, device(job) == "cuda" ? "gpu1" : "cpu1", "\(device(job)) job went to \(worker)")
        }
    }

    func testAnExpiredCUDALeaseIsRetriedOnlyOnACUDAWorker() throws {
        var h = Harness(plan(devices: ["cuda"], count: 1))
        h.start()
        let first = try XCTUnwrap(h.send(.workerReady("gpu1", slots: 1, info: gpuWorker)).sends.first)
        h.send(.workerReady("cpu1", slots: 1, info: cpuWorker))
        // gpu1 goes silent; cpu1 keeps heartbeating.
        var retried: [(job: JobAssignment, worker: WorkerID, deadline: Double)] = []
        for t in stride(from: h.now + 1, through: h.now + 20, by: 1) {
            h.at(t, .heartbeat("cpu1", leases: []))
            retried += h.at(t, .tick).sends
        }
        XCTAssertTrue(retried.isEmpty, "the CUDA job went to \(retried.map(\.worker))")
        let back = h.send(.workerReady("gpu2", slots: 1, info: gpuWorker)).sends
        XCTAssertEqual(back.map(\.worker), ["gpu2"])
        XCTAssertEqual(back.first?.job.id, first.job.id)
    }

    func testAWorkerThatReconnectsWithACUDADeviceGetsCUDAJobs() {
        var h = Harness(plan(devices: ["cuda"], count: 1))
        h.start()
        XCTAssertTrue(h.send(.workerReady("w", slots: 1, info: cpuWorker)).sends.isEmpty)
        XCTAssertEqual(h.send(.workerReady("w", slots: 1, info: gpuWorker)).sends.map(\.worker), ["w"])
    }
}
