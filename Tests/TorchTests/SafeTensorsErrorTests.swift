import Foundation
import Torch
import XCTest

/// Bad safetensors files: each is a `SafeTensors.FormatError` naming the file, never a crash.
final class SafeTensorsErrorTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws { directory = try SafeTensorsFixture.makeDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// A valid one-tensor file: "x" F32 [2] = [1, 2].
    let validHeader = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    let validData: [UInt8] = [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40]

    /// Writes `data` to a file named `name` and asserts that loading it (tensors and metadata) throws a
    /// FormatError for that path whose reason contains `fragment`.
    func assertFormatError(_ data: Data, _ fragment: String, name: String = "bad.safetensors",
                           file: StaticString = #filePath, line: UInt = #line) throws {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        assertFormatError(at: url, fragment, file: file, line: line)
        XCTAssertThrowsError(try SafeTensors.decode(data, path: "memory-copy"), file: file, line: line) { error in
            XCTAssertEqual((error as? SafeTensors.FormatError)?.path, "memory-copy", file: file, line: line)
        }
    }

    func assertFormatError(at url: URL, _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        for load in [{ _ = try SafeTensors.load(from: url) }, { _ = try SafeTensors.metadata(at: url) }] {
            XCTAssertThrowsError(try load(), file: file, line: line) { error in
                guard let formatError = error as? SafeTensors.FormatError else {
                    XCTFail("expected FormatError, got \(type(of: error)): \(error)", file: file, line: line)
                    return
                }
                XCTAssertEqual(formatError.path, url.path, file: file, line: line)
                XCTAssertTrue(formatError.description.hasPrefix(url.path), formatError.description, file: file, line: line)
                XCTAssertTrue(formatError.reason.lowercased().contains(fragment.lowercased()),
                              "'\(formatError.reason)' lacks '\(fragment)'", file: file, line: line)
            }
        }
    }

    func testTheValidFixtureLoads() throws {
        let url = directory.appendingPathComponent("good.safetensors")
        try SafeTensorsFixture.bytes(header: validHeader, data: validData).write(to: url)
        XCTAssertEqual(try SafeTensors.load(from: url)["x"]?.toArray(Float.self), [1, 2])
    }

    func testMissingFileAndDirectory() {
        assertFormatError(at: directory.appendingPathComponent("absent.safetensors"), "no such file")
        assertFormatError(at: directory, "directory")
    }

    func testTruncatedFiles() throws {
        let whole = SafeTensorsFixture.bytes(header: validHeader, data: validData)
        try assertFormatError(whole.dropLast(3), "truncated")
        try assertFormatError(Data(whole.prefix(5)), "shorter than the 8-byte header length")
        try assertFormatError(Data(), "0 bytes")
        try assertFormatError(Data(whole.prefix(20)), "truncated", name: "cut-in-header.safetensors")
    }

    func testHeaderLengthLargerThanTheFileOrTheLimit() throws {
        try assertFormatError(SafeTensorsFixture.bytes(header: validHeader, data: validData, declaredLength: 10_000), "truncated")
        try assertFormatError(SafeTensorsFixture.bytes(header: validHeader, data: validData, declaredLength: UInt64.max), "exceeds")
        try assertFormatError(SafeTensorsFixture.bytes(header: validHeader, data: validData, declaredLength: 0), "not valid JSON")
    }

    func testCorruptHeaderJSON() throws {
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"dtype":"F32","#, data: validData), "not valid JSON")
        try assertFormatError(SafeTensorsFixture.bytes(header: "[1, 2]", data: []), "not a JSON object")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x": 3}"#, data: []), "'x' is not an object")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"__metadata__": {"a": 1}}"#, data: []), "__metadata__")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, data: validData), "no dtype")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"dtype":"F32","data_offsets":[0,8]}}"#, data: validData), "shape")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: validData), "shape")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"dtype":"F32","shape":[2]}}"#, data: validData), "data_offsets")
        try assertFormatError(SafeTensorsFixture.bytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: validData), "data_offsets")
    }

    func testUnknownDtype() throws {
        let header = #"{"x":{"dtype":"F8_E4M3","shape":[8],"data_offsets":[0,8]}}"#
        try assertFormatError(SafeTensorsFixture.bytes(header: header, data: validData), "F8_E4M3")
    }

    func testOffsetsThatDoNotMatchDtypeTimesShape() throws {
        let header = #"{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#   // F64 [2] needs 16 bytes
        try assertFormatError(SafeTensorsFixture.bytes(header: header, data: validData), "needs 16")
        // A shape whose byte size overflows Int must be an error, not a trap.
        let huge = #"{"x":{"dtype":"F32","shape":[4000000000000000,4000000000000000],"data_offsets":[0,8]}}"#
        try assertFormatError(SafeTensorsFixture.bytes(header: huge, data: validData), "shape", name: "huge.safetensors")
    }

    func testOverlappingGappedAndTrailingData() throws {
        let overlap = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        try assertFormatError(SafeTensorsFixture.bytes(header: overlap, data: validData), "overlaps")
        let same = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}}"#
        try assertFormatError(SafeTensorsFixture.bytes(header: same, data: validData), "overlaps")
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        try assertFormatError(SafeTensorsFixture.bytes(header: gap, data: validData), "gap")
        try assertFormatError(SafeTensorsFixture.bytes(header: validHeader, data: validData + [0]), "trailing")
    }

    func testWriteFailureNamesThePath() throws {
        let url = directory.appendingPathComponent("no-such-dir/model.safetensors")
        XCTAssertThrowsError(try SafeTensors.save(["x": f32([1])], to: url)) { error in
            XCTAssertEqual((error as? SafeTensors.FormatError)?.path, url.path)
        }
    }
}
