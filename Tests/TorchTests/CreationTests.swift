import Foundation
import Torch
import XCTest

/// Creating tensors: constant fills, ranges, Swift arrays of every element type, conversion and copying.
final class CreationTests: XCTestCase {
    func testConstantFills() throws {
        let z = try Tensor.zeros([2, 3])
        XCTAssertEqual(z.shape, [2, 3])
        XCTAssertEqual(z.dtype, .float32)
        XCTAssertEqual(z.count, 6)
        XCTAssertEqual(z.rank, 2)
        XCTAssertEqual(try z.toArray(Float.self), [Float](repeating: 0, count: 6))
        XCTAssertEqual(try Tensor.ones([4], dtype: .int64).toArray(Int64.self), [1, 1, 1, 1])
        XCTAssertEqual(try Tensor.full([2, 2], 2.5, dtype: .float64).toArray(Double.self), [2.5, 2.5, 2.5, 2.5])
        XCTAssertEqual(try Tensor.full([3], 7, dtype: .int32).toArray(Int32.self), [7, 7, 7])
        XCTAssertEqual(try Tensor.full([2], 1, dtype: .bool).toArray(Bool.self), [true, true])
        XCTAssertEqual(try Tensor.full([2], 0, dtype: .bool).toArray(Bool.self), [false, false])
        let s = try Tensor.scalar(3.25, dtype: .float64)
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(s.rank, 0)
        XCTAssertEqual(s.count, 1)
        XCTAssertEqual(try s.item(), 3.25)
        let empty = try Tensor.zeros([2, 0, 3])
        XCTAssertEqual(empty.shape, [2, 0, 3])
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(try empty.toArray(Float.self), [])
    }

    func testRanges() throws {
        XCTAssertEqual(try Tensor.arange(0, 5).toArray(Int64.self), [0, 1, 2, 3, 4])
        XCTAssertEqual(try Tensor.arange(1, 2, step: 0.25, dtype: .float64).toArray(Double.self), [1, 1.25, 1.5, 1.75])
        XCTAssertEqual(try Tensor.arange(5, 0, step: -2).toArray(Int64.self), [5, 3, 1])
        try assertClose(Tensor.linspace(0, 1, steps: 5, dtype: .float64), [0, 0.25, 0.5, 0.75, 1], shape: [5], tolerance: 0)
        XCTAssertEqual(try Tensor.eye(3).toArray(Float.self), [1, 0, 0, 0, 1, 0, 0, 0, 1])
    }

    func testFromArraysOfEveryElementType() throws {
        XCTAssertEqual(try Tensor([1.5, -2] as [Float]).toArray(Float.self), [1.5, -2])
        XCTAssertEqual(try Tensor([1e-300, .pi] as [Double]).toArray(Double.self), [1e-300, .pi])
        XCTAssertEqual(try Tensor([Int64.min, Int64.max] as [Int64]).toArray(Int64.self), [Int64.min, Int64.max])
        XCTAssertEqual(try Tensor([Int32.min, 3] as [Int32]).toArray(Int32.self), [Int32.min, 3])
        XCTAssertEqual(try Tensor([-7, 300] as [Int16]).toArray(Int16.self), [-7, 300])
        XCTAssertEqual(try Tensor([-128, 127] as [Int8]).toArray(Int8.self), [-128, 127])
        XCTAssertEqual(try Tensor([0, 255] as [UInt8]).toArray(UInt8.self), [0, 255])
        XCTAssertEqual(try Tensor([true, false, true]).toArray(Bool.self), [true, false, true])
        let matrix = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        XCTAssertEqual(matrix.shape, [2, 3])
        XCTAssertEqual(try matrix.select(dim: 0, index: 1).toArray(Float.self), [4, 5, 6], "C order")
        let scalar = try Tensor([42] as [Int64], shape: [])
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(try scalar.item(), 42)
        XCTAssertEqual(try Tensor([] as [Float], shape: [0, 4]).shape, [0, 4])
    }

    func testConversions() throws {
        let x = try f64([1.75, -2.5, 3])
        XCTAssertEqual(try x.to(.int64).toArray(Int64.self), [1, -2, 3], "truncates toward zero")
        XCTAssertEqual(try x.to(.float32).toArray(Float.self), [1.75, -2.5, 3])
        XCTAssertEqual(try x.to(.bool).toArray(Bool.self), [true, true, true])
        XCTAssertEqual(try f64([0.1]).to(.float16).floats(), [Float(Float16(0.1))])
        XCTAssertEqual(try i64([3, -1]).doubles(), [3, -1])
        XCTAssertEqual(try f32([2.9]).int64s(), [2])
        XCTAssertEqual(try x.to(.cpu).device, .cpu)
        let bytes = try f32([1]).bytes()
        XCTAssertEqual(bytes, [0x00, 0x00, 0x80, 0x3F], "little-endian IEEE 754")
        XCTAssertEqual(try Tensor.fromBytes(UnsafeRawBufferPointer(start: nil, count: 0), shape: [0], dtype: .float32).count, 0)
        let back = try bytes.withUnsafeBytes { try Tensor.fromBytes($0, shape: [], dtype: .float32) }
        XCTAssertEqual(try back.item(), 1)
    }

    func testCloneCopiesAndDetachShares() throws {
        let x = try f64([1, 2, 3])
        let copy = try x.clone()
        let alias = try x.detach()
        try copy.fill_(9)
        XCTAssertEqual(try x.toArray(Double.self), [1, 2, 3], "clone owns its storage")
        try alias.fill_(5)
        XCTAssertEqual(try x.toArray(Double.self), [5, 5, 5], "detach shares storage")
        let t = try f32([1, 2, 3, 4], [2, 2]).transpose(0, 1)
        XCTAssertEqual(try t.contiguous().toArray(Float.self), [1, 3, 2, 4])
        XCTAssertEqual(try t.toArray(Float.self), [1, 3, 2, 4], "toArray reads non-contiguous tensors in logical order")
    }

    func testDescriptionShowsValues() throws {
        let text = try f32([1.5, 2.5]).description
        XCTAssertTrue(text.contains("1.5") && text.contains("2.5"), text)
    }

    func testDeviceParsingAndRuntimeFacts() {
        XCTAssertEqual(Device("cpu"), .cpu)
        XCTAssertEqual(Device("CUDA"), .cuda(0))
        XCTAssertEqual(Device("cuda:3"), .cuda(3))
        XCTAssertNil(Device("cuda:-1"))
        XCTAssertNil(Device("gpu"))
        XCTAssertEqual(Device.cuda(2).description, "cuda:2")
        XCTAssertTrue(Device.cpu.isAvailable)
        XCTAssertEqual(Torch.availableDevices.first, .cpu)
        XCTAssertEqual(Torch.availableDevices.count, 1 + Torch.cudaDeviceCount)
        XCTAssertFalse(Device.cuda(Torch.cudaDeviceCount).isAvailable)
        XCTAssertTrue(Torch.version.first?.isNumber ?? false, Torch.version)
        XCTAssertGreaterThanOrEqual(Torch.threadCount, 1)
    }
}
