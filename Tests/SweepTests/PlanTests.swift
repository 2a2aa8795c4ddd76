import Foundation
import Sweep
import XCTest

final class PlanTests: XCTestCase {
    func testBriefManifestExpandsIntoADAG() throws {
        let plan = Plan(try decodeManifest(briefManifest))
        // 2 lr × 3 seeds = 6 settings. Per setting: target baseline, guide training job, and
        // 2 guided conditions × 2 guide states × 2 alphas = 8 guided jobs.
        XCTAssertEqual(plan.count, 6 * (1 + 1 + 8))
        XCTAssertEqual(plan.countsByCondition[.baseline], 12)
        XCTAssertEqual(plan.countsByCondition[.guided], 24)
        XCTAssertEqual(plan.countsByCondition[.guidedInit], 24)
        XCTAssertEqual(plan.countsByGuideState[.trained], 24)
        XCTAssertEqual(Set(plan.jobs.map(\.id)).count, plan.count)

        var position: [JobID: Int] = [:]
        for (offset, job) in plan.jobs.enumerated() {
            for dependency in job.dependencies {
                let at = try XCTUnwrap(position[dependency], "dependency listed after its dependent")
                XCTAssertLessThan(at, offset)
                let guideJob = try XCTUnwrap(plan[dependency])
                XCTAssertEqual(guideJob.spec.condition, .baseline)
                XCTAssertEqual(guideJob.spec.target, job.spec.guide)
                XCTAssertEqual(guideJob.spec.seed, job.spec.seed)
                XCTAssertEqual(guideJob.spec.training, job.spec.training)
                XCTAssertEqual(guideJob.spec, job.spec.guideTrainingSpec)
            }
            XCTAssertEqual(job.dependencies.count, job.spec.guideState == .trained ? 1 : 0)
            position[job.id] = offset
        }
        // Baselines carry default guidance (they are not multiplied by the alpha axis).
        for job in plan.jobs where job.spec.condition == .baseline {
            XCTAssertEqual(job.spec.guidance, GuidanceConfig())
        }
    }

    func testGuideThatIsAlsoATargetIsTrainedOnce() throws {
        let plan = Plan(try decodeManifest("""
            tasks: [mnist1d]
            models: {fcn: {family: fcn}, resnet: {family: resnet}}
            targets: [fcn, resnet]
            guides: [resnet]
            conditions: [baseline, guided]
            guide_states: [trained]
            """))
        // Baselines: fcn, resnet (also the guide's training job); guided: fcn<-resnet, resnet<-resnet.
        XCTAssertEqual(plan.count, 4)
        let resnetBaseline = try XCTUnwrap(plan.jobs.first { $0.spec.target.family == "resnet" && $0.spec.condition == .baseline })
        XCTAssertTrue(plan.jobs.filter { $0.spec.condition == .guided }.allSatisfy { $0.dependencies == [resnetBaseline.id] })
    }

    func testGuideTrainingJobsExistWithoutBaselineCondition() throws {
        let plan = Plan(try decodeManifest("""
            tasks: [mnist1d]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [guided]
            """))
        XCTAssertEqual(plan.countsByCondition[.baseline], 1)  // the cnn's training job only
        XCTAssertEqual(plan.count, 3)
    }

    func testAxesAConditionIgnoresDoNotMultiplyItsJobs() throws {
        let plan = Plan(try decodeManifest("""
            tasks: [mnist1d]
            targets: [{family: fcn}]
            guides: [{family: cnn}]
            conditions: [guided, guided-init, distill]
            guide_states: [untrained]
            guidance: {init_steps: [100, 200, 300], temperature: [2, 4]}
            """))
        XCTAssertEqual(plan.countsByCondition[.guided], 1)
        XCTAssertEqual(plan.countsByCondition[.guidedInit], 3)
        XCTAssertEqual(plan.countsByCondition[.distill], 2)
    }

    func testKeyOrderInYAMLDoesNotChangeIDs() throws {
        let reordered = """
            guidance: {similarity: linear-cka, alpha: [0.5, 1.0]}
            training: {optimizer: {lr: [1e-3, 3e-4], name: adam}, batch_size: 256, steps: 2000}
            guide_states: [untrained, trained]
            conditions: [baseline, guided, guided-init]
            guides: [cnn]
            targets: [deep-fcn]
            models:
              cnn:      {channels: 32, depth: 4, family: cnn}
              deep-fcn: {width: 256, family: fcn, depth: 8}
            tasks:
              - {train: 4000, name: mnist1d}
            seeds: [0, 1, 2]
            name: demo
            """
        let a = Set(Plan(try decodeManifest(briefManifest)).jobs.map(\.id))
        let b = Set(Plan(try decodeManifest(reordered)).jobs.map(\.id))
        XCTAssertEqual(a, b)
        let changed = Set(Plan(try decodeManifest(briefManifest.replacingOccurrences(of: "width: 256", with: "width: 255"))).jobs.map(\.id))
        XCTAssertFalse(a.isSubset(of: changed) && changed.isSubset(of: a))
        // Only the deep-fcn jobs change: the guide's training jobs are shared.
        XCTAssertEqual(a.intersection(changed).count, 6)
    }

    func testRenderListsCountsJobsAndEdges() throws {
        let plan = Plan(try decodeManifest(briefManifest))
        let text = plan.render()
        XCTAssertTrue(text.hasPrefix("60 jobs\n"), text)
        XCTAssertTrue(text.contains("  guided-init: 24"))
        let edge = try XCTUnwrap(plan.jobs.first { !$0.dependencies.isEmpty })
        XCTAssertTrue(text.contains("\(edge.dependencies[0].short) -> \(edge.id.short)"))
        XCTAssertTrue(text.contains("lr=0.0003"))
        let short = plan.render(limit: 3)
        XCTAssertTrue(short.contains("… 57 more"))
    }

    /// The compact plan (shared parts, a cell per job) gives every job the id of its own spec, finds it at its position,
    /// and collapses models that differ only in their label, as hashing each spec on its own does.
    func testCompactPlanAgreesWithItsSpecs() throws {
        let plan = Plan(try decodeManifest("""
            seeds: 2
            tasks: [mnist1d]
            models: {small: {family: fcn, depth: 2}, same: {family: fcn, depth: 2}, cnn: {family: cnn}}
            targets: [small, same, cnn]
            guides: [cnn, small]
            conditions: [baseline, guided, distill]
            guide_states: [untrained, trained]
            guidance: {alpha: [0.1, 0.5]}
            """))
        // Per seed: baselines small, cnn (same = small); guided: 2 targets × 2 guides × 2 conditions × 2 states ×
        // 2 alphas (distill normalises alike or not: counted from the specs themselves below).
        let specs = plan.jobs.map(\.spec)
        XCTAssertEqual(Set(specs.map(\.id)).count, plan.count, "no two jobs share an id")
        for (position, job) in plan.jobs.enumerated() {
            XCTAssertEqual(job.spec.id, job.id)
            XCTAssertEqual(plan.ids[position], job.id)
            XCTAssertEqual(plan.index[job.id], position)
            XCTAssertEqual(plan.spec(at: position), job.spec)
            XCTAssertEqual(plan.training(at: position), job.spec.training)
            XCTAssertEqual(plan.dependency(of: position).map { plan.ids[$0] }, job.dependencies.first)
            if let dependency = plan.dependency(of: position) {
                XCTAssertLessThan(dependency, position)
                XCTAssertEqual(plan.spec(at: dependency), job.spec.guideTrainingSpec)
            }
        }
        XCTAssertEqual(plan.countsByCondition[.baseline], 2 * 2)
        XCTAssertTrue(plan.hasDependencies)
        XCTAssertEqual(plan.dependencies.count, plan.countsByGuideState[.trained])
    }

    /// Expanding and hashing a 100k-job grid must be fast (the target is well under 10 s in debug).
    func testHundredThousandJobsExpandQuickly() {
        let models = (0..<10).map { ModelSpec(family: "fcn", options: ["depth": .int($0 + 1), "width": 256], label: "m\($0)") }
        let manifest = Manifest(
            name: "big", seeds: Array(0..<25), tasks: [TaskSpec(name: "mnist1d", options: ["train": 4000])],
            targets: models, guides: models, conditions: [.baseline, .guided, .guidedInit, .noiseWarmup, .distill],
            guideStates: [.untrained, .trained],
            guidances: [0.1, 0.3, 0.5, 1.0, 2.0].map { GuidanceConfig(alpha: $0, initSteps: 100) })
        let start = Date()
        let plan = Plan(manifest)
        let seconds = Date().timeIntervalSince(start)
        // 25 seeds × 10 targets × 10 guides × 4 guided conditions × 2 states × 5 alphas, + 250 baselines.
        XCTAssertEqual(plan.count, 100_000 + 250)
        print("expanded and hashed \(plan.count) jobs in \(String(format: "%.2f", seconds)) s")
        XCTAssertLessThan(seconds, 10)
        // The planner's shared-part hashing agrees with hashing each spec on its own.
        for job in plan.jobs.enumerated().filter({ $0.offset % 997 == 0 }).map(\.element) {
            XCTAssertEqual(job.spec.id, job.id)
        }
    }
}
