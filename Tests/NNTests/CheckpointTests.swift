import Foundation
import NN
import Torch
import XCTest

/// Linear → BatchNorm → Linear: parameters and running statistics, both of which a checkpoint must carry.
private final class SmallNet: Module, @unchecked Sendable {
    let input: Linear
    let norm: BatchNorm
    let output: Linear

    init(hidden: Int, outputs: Int = 3, seed: UInt64) throws {
        let p = ParameterInit(seed: seed)
        input = try Linear(5, hidden, init: p)
        norm = try BatchNorm(hidden, init: p)
        output = try Linear(hidden, outputs, init: p)
        super.init()
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor { try output(norm(input(x)).relu()) }
}

/// Only the first layer of SmallNet: a checkpoint of SmallNet has more entries than it needs.
private final class FirstLayerOnly: Module, @unchecked Sendable {
    let input: Linear
    let extra: Linear

    init(seed: UInt64) throws {
        input = try Linear(5, 8, init: ParameterInit(seed: seed))
        extra = try Linear(2, 2, init: ParameterInit(seed: 0))
        super.init()
    }
}

final class CheckpointTests: XCTestCase {
    func testSaveThenLoadReproducesOutputsIncludingRunningStatistics() throws {
        let directory = try temporaryDirectory(self)
        let url = directory.appendingPathComponent("net.safetensors")
        let original = try SmallNet(hidden: 8, seed: 1)
        // A training-mode pass moves the running statistics away from their initial values.
        _ = try original(Tensor.randn([16, 5], generator: Generator(seed: 2)) * 3.0 + 1.0)
        original.eval()
        try original.save(to: url, metadata: ["spec": "small"])

        let restored = try SmallNet(hidden: 8, seed: 99)
        restored.eval()
        let x = try Tensor.randn([4, 5], generator: Generator(seed: 3))
        XCTAssertGreaterThan(try maxAbsDifference(original(x).doubles(), restored(x).doubles()), 1e-3,
                             "different seeds must start different, else the test proves nothing")
        try restored.load(from: url)
        try assertClose(original(x), restored(x), tolerance: 0)
        try assertClose(original.norm.runningVar.value, restored.norm.runningVar.value, tolerance: 0)
        XCTAssertEqual(try SafeTensors.metadata(at: url)["spec"], "small")
        XCTAssertTrue(restored.trainableParameters().allSatisfy(\.requiresGrad), "loading keeps parameters trainable")
    }

    func testShapeMismatchIsListedWithBothShapes() throws {
        let saved = try SmallNet(hidden: 8, seed: 1).stateDict()
        let wider = try SmallNet(hidden: 10, seed: 1)
        let before = try wider.input.weight.doubles()
        XCTAssertThrowsError(try wider.load(saved, source: "guide.safetensors")) { error in
            guard let mismatch = error as? CheckpointMismatch else { return XCTFail("\(error)") }
            XCTAssertEqual(mismatch.path, "guide.safetensors")
            XCTAssertTrue(mismatch.missing.isEmpty && mismatch.unexpected.isEmpty)
            XCTAssertEqual(mismatch.mismatched.count, 7, "\(mismatch.mismatched)")  // all but output.bias
            XCTAssertTrue(mismatch.mismatched.contains { $0.hasPrefix("input.weight") && $0.contains("[10, 5]") && $0.contains("[8, 5]") },
                          "\(mismatch.mismatched)")
            XCTAssertTrue(mismatch.description.contains("guide.safetensors"))
        }
        XCTAssertEqual(try wider.input.weight.doubles(), before, "a refused checkpoint changes nothing")
    }

    func testMissingAndUnexpectedEntriesAreListed() throws {
        let saved = try SmallNet(hidden: 8, seed: 1).stateDict()
        XCTAssertThrowsError(try FirstLayerOnly(seed: 0).load(saved)) { error in
            guard let mismatch = error as? CheckpointMismatch else { return XCTFail("\(error)") }
            XCTAssertEqual(mismatch.missing, ["extra.bias", "extra.weight"])
            XCTAssertEqual(mismatch.unexpected, ["norm.bias", "norm.runningMean", "norm.runningVar", "norm.weight",
                                                 "output.bias", "output.weight"])
            XCTAssertTrue(mismatch.mismatched.isEmpty)
            XCTAssertTrue(mismatch.description.contains("missing extra.bias"), mismatch.description)
        }
    }

    func testLoadingAFileThatIsNotACheckpointThrows() throws {
        let url = try temporaryDirectory(self).appendingPathComponent("garbage.safetensors")
        try Data("not a checkpoint".utf8).write(to: url)
        XCTAssertThrowsError(try SmallNet(hidden: 8, seed: 1).load(from: url))
    }
}
