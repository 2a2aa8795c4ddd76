import Foundation
import Torch
import XCTest

/// Bad input throws a `TorchError` naming the operation; the process goes on and later ops still work.
final class ErrorTests: XCTestCase {
    /// Asserts `body` throws a TorchError for `operation` with a message (libtorch's, without its C++ backtrace)
    /// that contains `fragment`, then checks the engine still computes correctly.
    func assertTorchError<T>(_ operation: String, _ fragment: String = "", file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> T) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let torchError = error as? TorchError else {
                XCTFail("expected TorchError, got \(type(of: error)): \(error)", file: file, line: line)
                return
            }
            XCTAssertEqual(torchError.operation, operation, file: file, line: line)
            XCTAssertFalse(torchError.message.isEmpty, file: file, line: line)
            XCTAssertFalse(torchError.message.contains("Exception raised from"), "backtrace leaked: \(torchError)", file: file, line: line)
            if !fragment.isEmpty {
                XCTAssertTrue(torchError.message.lowercased().contains(fragment.lowercased()),
                              "'\(torchError.message)' lacks '\(fragment)'", file: file, line: line)
            }
            XCTAssertTrue(torchError.description.hasPrefix("\(operation): "), torchError.description, file: file, line: line)
        }
        assertEngineStillWorks(file: file, line: line)
    }

    func assertEngineStillWorks(file: StaticString = #filePath, line: UInt = #line) {
        do {
            let w = try f64([1, 2, 3, 4], [2, 2]).requiresGrad(true)
            let y = try w.matmul(f64([1, 1], [2, 1])).sum()
            try y.backward()
            XCTAssertEqual(try y.item(), 10, file: file, line: line)
            XCTAssertEqual(try XCTUnwrap(w.grad).toArray(Double.self), [1, 1, 1, 1], file: file, line: line)
            XCTAssertTrue(Torch.isGradEnabled, file: file, line: line)
        } catch {
            XCTFail("engine broken after an error: \(error)", file: file, line: line)
        }
    }

    func testShapeMismatches() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        assertTorchError("add", "size") { try a + Tensor.zeros([4]) }
        assertTorchError("matmul") { try a.matmul(b) }
        assertTorchError("linear") { try a.linear(weight: Tensor.zeros([2, 4]), bias: nil) }
        assertTorchError("cat") { try Tensor.cat([a, b]) }
        assertTorchError("cat") { try Tensor.cat([]) }
        assertTorchError("stack") { try Tensor.stack([a, a.transpose(0, 1)]) }
        assertTorchError("reshape") { try a.reshape([4, 2]) }
        assertTorchError("permute") { try a.permute([0]) }
        assertTorchError("expand") { try a.expand([3, 3]) }
        assertTorchError("mseLoss") { try a.mseLoss(b) }
        assertTorchError("conv2d") { try Tensor.zeros([1, 3, 5, 5]).conv2d(weight: Tensor.zeros([2, 4, 3, 3])) }
        assertTorchError("conv1d") { try Tensor.zeros([1, 4, 2]).conv1d(weight: Tensor.zeros([2, 4, 3])) }
        assertTorchError("conv2d") { try Tensor.zeros([1, 4, 5, 5]).conv2d(weight: Tensor.zeros([2, 4, 3, 3]), groups: 3) }
        assertTorchError("maxPool", "spatial") { try Tensor.zeros([1, 1, 2, 2, 2]).maxPool(kernel: [1, 1, 1]) }
        assertTorchError("maxPool") { try Tensor.zeros([1, 1, 2, 2]).maxPool(kernel: [3, 3]) }
        assertTorchError("maxPool", "stride has 1 entries") { try Tensor.zeros([1, 1, 4, 4]).maxPool(kernel: [2, 2], stride: [1]) }
        assertTorchError("maxPool", "dilation") { try Tensor.zeros([1, 1, 4, 4]).maxPool(kernel: [2, 2], dilation: [1, 1, 1]) }
        assertTorchError("avgPool", "padding") { try Tensor.zeros([1, 1, 4]).avgPool(kernel: [2], padding: [0, 0]) }
        assertTorchError("batchNorm") {
            try Tensor.zeros([4, 3]).batchNorm(weight: Tensor.ones([2]), bias: nil, runningMean: nil, runningVar: nil, training: true)
        }
        assertTorchError("layerNorm") { try a.layerNorm([4], weight: nil, bias: nil) }
        assertTorchError("crossEntropy") { try a.crossEntropy(i64([0, 1, 2])) }
        assertTorchError("klDiv") { try a.klDiv(b) }
        assertTorchError("where") { try Tensor.where(Tensor([true, false]), a, a) }
        assertTorchError("copy_") { try a.copy_(b) }
        assertTorchError("add_") { try Tensor.zeros([3]).add_(a) }
    }

    func testDtypeMismatchesLibtorchRefuses() throws {
        let logits = try Tensor.zeros([2, 3])
        assertTorchError("crossEntropy") { try logits.crossEntropy(Tensor.zeros([2])) }   // float targets, not [2, 3]
        assertTorchError("crossEntropy") { try logits.crossEntropy(Tensor.zeros([2, 4])) }
        assertTorchError("nllLoss") { try logits.nllLoss(Tensor.zeros([2])) }
        assertTorchError("matmul") { try logits.matmul(Tensor.zeros([3, 2], dtype: .float64)) }
        assertTorchError("indexSelect") { try logits.indexSelect(dim: 0, Tensor.zeros([1])) }
        assertTorchError("gather") { try logits.gather(dim: 1, Tensor.zeros([2, 1])) }
        assertTorchError("embedding") { try logits.embedding(Tensor.zeros([2])) }
        assertTorchError("where") { try Tensor.where(Tensor.ones([3]), f32([1, 2, 3]), f32([4, 5, 6])) }
        assertTorchError("oneHot") { try f32([1, 2]).oneHot(classes: 3) }
        assertTorchError("randint") { try Tensor.randint(5, 5, [2]) }
    }

    func testOutOfRangeIndices() throws {
        let m = try f32([1, 2, 3, 4, 5, 6], [2, 3])
        assertTorchError("select", "out of range") { try m.select(dim: 1, index: 3) }
        assertTorchError("select") { try m.select(dim: 0, index: -3) }
        assertTorchError("select") { try m.select(dim: 2, index: 0) }
        assertTorchError("indexSelect") { try m.indexSelect(dim: 1, i64([0, 7])) }
        assertTorchError("indexSelect") { try m.indexSelect(dim: 0, i64([-5])) }
        assertTorchError("gather") { try m.gather(dim: 1, i64([0, 9], [2, 1])) }
        assertTorchError("gather") { try m.gather(dim: 1, i64([-1, 0], [2, 1])) }
        assertTorchError("embedding", "out of range") { try m.embedding(i64([0, 2])) }
        assertTorchError("embedding", "out of range") { try m.embedding(i64([-1])) }
        assertTorchError("crossEntropy") { try m.crossEntropy(i64([0, 3])) }
        assertTorchError("oneHot") { try i64([0, 3]).oneHot(classes: 3) }
        assertTorchError("squeeze") { try m.squeeze(dim: 4) }
        assertTorchError("softmax") { try m.softmax(dim: 2) }
        assertTorchError("sum") { try m.sum(dim: 5) }
        assertTorchError("argmax") { try m.argmax(dim: -3) }
        assertTorchError("transpose") { try m.transpose(0, 2) }
        assertTorchError("slice") { try m.slice(dim: 0, step: 0) }
    }

    func testInvalidViewAndConversions() throws {
        let t = try f32([1, 2, 3, 4, 5, 6], [2, 3]).transpose(0, 1)
        assertTorchError("view") { try t.view([6]) }
        XCTAssertEqual(try t.reshape([6]).toArray(Float.self), [1, 4, 2, 5, 3, 6], "reshape copies where view cannot")
        assertTorchError("view") { try Tensor.zeros([2, 3]).view([-1, -1]) }
        assertTorchError("toArray", "float32") { try Tensor.zeros([2]).toArray(Double.self) }
        assertTorchError("toArray") { try Tensor.zeros([2], dtype: .int64).toArray(Int32.self) }
        assertTorchError("item") { try Tensor.zeros([2]).item() }
        assertTorchError("Tensor(_:shape:)", "3 values") { try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
        assertTorchError("Tensor(_:shape:)") { try Tensor([1] as [Double], shape: [0]) }
        assertTorchError("Tensor(_:shape:)") { try Tensor([1, 2] as [Int64], shape: [Int.max, 2]) }
        assertTorchError("zeros") { try Tensor.zeros([2, -3]) }
        assertTorchError("fromBytes", "byte count") {
            try [UInt8](repeating: 0, count: 7).withUnsafeBytes { try Tensor.fromBytes($0, shape: [2], dtype: .float32) }
        }
    }

    func testAutogradMisuse() throws {
        let x = try f64([1, 2])
        assertTorchError("backward", "require grad") { try x.sum().backward() }
        let p = try f64([1, 2]).requiresGrad(true)
        assertTorchError("backward", "scalar") { try (p * 2).backward() }
        assertTorchError("backward") { try (p * 2).sum().backward(f64([1, 2])) }
        assertTorchError("gradients") { try Tensor.gradients(of: (p * 2).sum(), withRespectTo: [x]) }
        assertTorchError("gradients", "scalar") { try Tensor.gradients(of: p * 2, withRespectTo: [p]) }
        assertTorchError("batchNorm", "more than 1 value") {
            try Tensor.zeros([1, 3]).batchNorm(weight: nil, bias: nil, runningMean: nil, runningVar: nil, training: true)
        }
        let runningVar = try Tensor.ones([2])
        assertTorchError("batchNorm", "more than 1 value") {
            try Tensor.zeros([1, 2, 1]).batchNorm(weight: nil, bias: nil, runningMean: Tensor.zeros([2]), runningVar: runningVar,
                                                  training: true)
        }
        XCTAssertEqual(try runningVar.toArray(Float.self), [1, 1], "running variance not poisoned with NaN")
        XCTAssertEqual(try Tensor.zeros([1, 2, 2]).batchNorm(weight: nil, bias: nil, runningMean: nil, runningVar: nil,
                                                             training: true).shape, [1, 2, 2], "one example with 2 positions is fine")
        XCTAssertEqual(try Tensor.zeros([1, 3]).batchNorm(weight: nil, bias: nil, runningMean: Tensor.zeros([3]),
                                                          runningVar: Tensor.ones([3]), training: false).shape, [1, 3],
                       "eval mode takes a single example")
        assertTorchError("add_", "leaf") { try p.add_(1) }
        assertTorchError("requiresGrad") { try i64([1]).requiresGrad(true) }
        assertTorchError("dropout", "probability") { try p.dropout(1.5, training: true) }
        XCTAssertEqual(try p.toArray(Double.self), [1, 2], "refused updates changed nothing")
    }

    func testFailedAdamStepLeavesEveryTensorUnchanged() throws {
        let param = try f64([1, 2, 3]), grad = try f64([0.1, 0.2, 0.3])
        let expAvg = try f64([0.5, 0.5, 0.5]), badExpAvgSq = try f64([1, 1])
        assertTorchError("adamStep", "exp_avg_sq has shape [2]") {
            try param.adamStep(grad: grad, expAvg: expAvg, expAvgSq: badExpAvgSq, step: 1, lr: 0.1, beta1: 0.9,
                               beta2: 0.999, eps: 1e-8, weightDecay: 0.1, decoupled: true)
        }
        XCTAssertEqual(try param.toArray(Double.self), [1, 2, 3], "no weight decay applied")
        XCTAssertEqual(try expAvg.toArray(Double.self), [0.5, 0.5, 0.5], "first moment untouched")
        assertTorchError("adamStep") {
            try param.adamStep(grad: f64([1]), expAvg: expAvg, expAvgSq: f64([1, 1, 1]), step: 1, lr: 0.1, beta1: 0.9,
                               beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false)
        }
        assertTorchError("adamStep") {
            try param.adamStep(grad: grad, expAvg: f32([0, 0, 0]), expAvgSq: f64([1, 1, 1]), step: 1, lr: 0.1, beta1: 0.9,
                               beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false)
        }
        assertTorchError("adamStep", "counts from 1") {
            try param.adamStep(grad: grad, expAvg: expAvg, expAvgSq: f64([1, 1, 1]), step: 0, lr: 0.1, beta1: 0.9,
                               beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false)
        }
        XCTAssertEqual(try param.toArray(Double.self), [1, 2, 3])
    }

    func testErrorMessagesAreKeptPerThread() {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var messages: [Int: String] = [:]
            func set(_ i: Int, _ m: String) { lock.lock(); messages[i] = m; lock.unlock() }
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for _ in 0..<4 {
                do {
                    _ = try Tensor.zeros([3]).select(dim: 0, index: 100 + i)
                } catch {
                    results.set(i, "\(error)")
                }
            }
        }
        for i in 0..<8 {
            XCTAssertTrue(results.messages[i]?.contains("\(100 + i)") ?? false, "thread \(i): \(results.messages[i] ?? "nil")")
        }
        assertEngineStillWorks()
    }
}
