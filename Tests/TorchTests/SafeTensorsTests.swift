import Foundation
import Torch
import XCTest

/// Reading and writing safetensors: round trips, and parsing files built byte by byte in the Python layout.
final class SafeTensorsTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try SafeTensorsFixture.makeDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    func sampleTensors() throws -> [String: Tensor] {
        [
            "f32": try f32([1.5, -2, 3.25, 0, 1e-30, -7], [2, 3]),
            "f64": try f64([Double.pi, -Double.greatestFiniteMagnitude], [2, 1]),
            "i64": try i64([Int64.min, -1, 0, Int64.max], [4]),
            "bool": try Tensor([true, false, true], shape: [3, 1, 1]),
            "u8": try Tensor([0, 1, 128, 255] as [UInt8], shape: [2, 2]),
            "i32": try Tensor([Int32.min, 42] as [Int32], shape: [2]),
            "i16": try Tensor([-300, 300] as [Int16], shape: [2]),
            "i8": try Tensor([-128, 127] as [Int8], shape: [2]),
            "f16": try f32([0.5, -1, 65504, 0.1]).to(.float16),
            "bf16": try f32([1, -2.5, 3e38]).to(.bfloat16),
            "scalar": try Tensor.scalar(2.75, dtype: .float64),
            "empty": try Tensor.zeros([0]),
            "empty3d": try Tensor.zeros([2, 0, 3], dtype: .int64),
            "model.layers.0/attn.weight": try f32([1, 2]),
            "ünïcode ✓": try f32([3]),
        ]
    }

    func assertSameTensors(_ loaded: [String: Tensor], _ original: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Set(loaded.keys), Set(original.keys), file: file, line: line)
        for (name, tensor) in original {
            let back = try XCTUnwrap(loaded[name], name, file: file, line: line)
            XCTAssertEqual(back.dtype, tensor.dtype, name, file: file, line: line)
            XCTAssertEqual(back.shape, tensor.shape, name, file: file, line: line)
            XCTAssertEqual(try back.bytes(), try tensor.bytes(), name, file: file, line: line)
        }
    }

    func testRoundTripThroughAFile() throws {
        let tensors = try sampleTensors()
        let url = directory.appendingPathComponent("model.safetensors")
        let metadata = ["format": "pt", "seed": "42", "note": "ünïcode and \"quotes\""]
        try SafeTensors.save(tensors, metadata: metadata, to: url)
        try assertSameTensors(SafeTensors.load(from: url), tensors)
        XCTAssertEqual(try SafeTensors.metadata(at: url), metadata)
        XCTAssertEqual(try SafeTensors.load(from: url)["f16"]?.floats(), [0.5, -1, 65504, Float(Float16(0.1))])
        XCTAssertEqual(try SafeTensors.load(from: url)["scalar"]?.shape, [])
        // Overwriting replaces the file.
        try SafeTensors.save(["only": f32([1])], to: url)
        XCTAssertEqual(Array(try SafeTensors.load(from: url).keys), ["only"])
        XCTAssertEqual(try SafeTensors.metadata(at: url), [:])
    }

    func testEncodedLayoutFollowsTheFormat() throws {
        let tensors = try sampleTensors()
        let data = try SafeTensors.encode(tensors, metadata: ["k": "v"])
        let bytes = [UInt8](data)
        let length = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        XCTAssertEqual((8 + length) % 8, 0, "data section starts 8-byte aligned")
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        XCTAssertEqual(header["__metadata__"] as? [String: String], ["k": "v"])
        var offset = 0
        var expectedData: [UInt8] = []
        for name in tensors.keys.sorted() {   // data laid out in name order, back to back
            let entry = try XCTUnwrap(header[name] as? [String: Any], name)
            let tensor = tensors[name]!
            XCTAssertEqual(entry["shape"] as? [Int], tensor.shape, name)
            let size = tensor.count * tensor.dtype.byteSize
            XCTAssertEqual(entry["data_offsets"] as? [Int], [offset, offset + size], name)
            offset += size
            expectedData += try tensor.bytes()
        }
        XCTAssertEqual(Array(bytes[(8 + length)...]), expectedData)
        let dtypes = try tensors.keys.sorted().map { try XCTUnwrap((header[$0] as? [String: Any])?["dtype"] as? String) }
        XCTAssertEqual(dtypes, ["bf16": "BF16", "bool": "BOOL", "empty": "F32", "empty3d": "I64", "f16": "F16", "f32": "F32",
                                "f64": "F64", "i16": "I16", "i32": "I32", "i64": "I64", "i8": "I8",
                                "model.layers.0/attn.weight": "F32", "scalar": "F64", "u8": "U8", "ünïcode ✓": "F32"]
                                .sorted { $0.key < $1.key }.map(\.value))
        // Same tensors, same bytes, whatever the dictionary's order.
        let again = try SafeTensors.encode(Dictionary(uniqueKeysWithValues: tensors.reversed()), metadata: ["k": "v"])
        XCTAssertEqual(again, data)
    }

    func testEncodesLogicalOrderOfViewsAndDetachesParameters() throws {
        let view = try f32([1, 2, 3, 4, 5, 6], [2, 3]).transpose(0, 1)   // not contiguous
        let parameter = try f64([1, 2]).requiresGrad(true)
        let loaded = try SafeTensors.decode(SafeTensors.encode(["v": view, "p": parameter]))
        XCTAssertEqual(try loaded["v"]?.toArray(Float.self), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(loaded["v"]?.shape, [3, 2])
        XCTAssertEqual(loaded["p"]?.requiresGrad, false)
        XCTAssertEqual(try SafeTensors.decode(SafeTensors.encode([:])).count, 0)
    }

    func testParsesAHandBuiltFileWithoutPaddingAndEntriesOutOfOrder() throws {
        // Listed weight-first, but bias comes first in the data; no padding; metadata in between.
        let header = #"{"weight":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]},"#
            + #""__metadata__":{"format":"pt","step":"30"},"bias":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#
        XCTAssertNotEqual((8 + header.utf8.count) % 8, 0, "the data section is deliberately unaligned")
        let data: [UInt8] = [0xF9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]   // I64 −7
            + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x3F, 0x00, 0x00, 0x20, 0x41]   // F32 1, −2, 0.5, 10
        let file = SafeTensorsFixture.bytes(header: header, data: data)
        let parsed = try SafeTensors.parseHeader(file)
        XCTAssertEqual(parsed.entries.map(\.name), ["bias", "weight"], "sorted by data offset")
        XCTAssertEqual(parsed.entries.map(\.dtype), [.int64, .float32])
        XCTAssertEqual(parsed.entries.map(\.shape), [[1], [2, 2]])
        XCTAssertEqual(parsed.entries.map(\.range), [0..<8, 8..<24])
        XCTAssertEqual(parsed.metadata, ["format": "pt", "step": "30"])
        XCTAssertEqual(parsed.dataStart, 8 + header.utf8.count)
        let tensors = try SafeTensors.decode(file)
        XCTAssertEqual(try tensors["bias"]?.toArray(Int64.self), [-7])
        XCTAssertEqual(try tensors["weight"]?.toArray(Float.self), [1, -2, 0.5, 10])
        XCTAssertEqual(tensors["weight"]?.shape, [2, 2])
        // The same bytes read from disk, and a copy whose Data does not start at index 0.
        let url = directory.appendingPathComponent("hand.safetensors")
        try file.write(to: url)
        XCTAssertEqual(try SafeTensors.load(from: url)["weight"]?.toArray(Float.self), [1, -2, 0.5, 10])
        XCTAssertEqual(try SafeTensors.metadata(at: url), ["format": "pt", "step": "30"])
        let shifted = (Data([0xAA, 0xBB]) + file).dropFirst(2)
        XCTAssertEqual(try SafeTensors.decode(shifted)["bias"]?.toArray(Int64.self), [-7])
    }

    func testParsesEveryDtypeScalarsAndZeroSizeFromPythonStylePaddedHeader() throws {
        let entries: [(String, String, String, [UInt8])] = [
            ("a", "F16", "[2]", [0x00, 0x3C, 0x00, 0xC0]),                        // 1, −2
            ("b", "BF16", "[1]", [0x80, 0x3F]),                                    // 1
            ("c", "BOOL", "[2]", [0x01, 0x00]),
            ("d", "U8", "[2]", [0x00, 0xFF]),
            ("e", "I32", "[]", [0x02, 0x01, 0x00, 0x00]),                          // scalar 258
            ("f", "F32", "[0,3]", []),
            ("g", "F64", "[1]", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]),                   // 1.5
            ("h", "I8", "[1]", [0xFF]),                                            // −1
            ("i", "I16", "[1]", [0x00, 0x80]),                                     // −32768
        ]
        var offset = 0, data: [UInt8] = [], fields: [String] = []
        for (name, dtype, shape, bytes) in entries {
            fields.append(#""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(offset),\#(offset + bytes.count)]}"#)
            offset += bytes.count
            data += bytes
        }
        let header = SafeTensorsFixture.padded("{" + fields.reversed().joined(separator: ", ") + "}")
        let t = try SafeTensors.decode(SafeTensorsFixture.bytes(header: header, data: data))
        XCTAssertEqual(try t["a"]?.floats(), [1, -2])
        XCTAssertEqual(t["a"]?.dtype, .float16)
        XCTAssertEqual(try t["b"]?.floats(), [1])
        XCTAssertEqual(t["b"]?.dtype, .bfloat16)
        XCTAssertEqual(try t["c"]?.toArray(Bool.self), [true, false])
        XCTAssertEqual(try t["d"]?.toArray(UInt8.self), [0, 255])
        XCTAssertEqual(t["e"]?.shape, [])
        XCTAssertEqual(try t["e"]?.toArray(Int32.self), [258])
        XCTAssertEqual(t["f"]?.shape, [0, 3])
        XCTAssertEqual(try t["g"]?.toArray(Double.self), [1.5])
        XCTAssertEqual(try t["h"]?.toArray(Int8.self), [-1])
        XCTAssertEqual(try t["i"]?.toArray(Int16.self), [-32768])
    }
}
