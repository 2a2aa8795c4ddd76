import CZlib
import Foundation
import XCTest

/// Writes data-file fixtures into a fresh temporary directory, with independent writers for each
/// format (the readers under test are never used to produce them).
final class Fixtures {
    let directory: URL

    init(_ name: String = #function) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("TasksTests-\(name.filter(\.isLetter))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Path of `name` inside the fixture directory (subdirectories created on demand).
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func subdirectory(_ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    // MARK: IDX

    /// `00 00 type ndims`, big-endian UInt32 dims, then `values`.
    static func idx(type: UInt8 = 0x08, dims: [Int], values: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type, UInt8(dims.count)]
        for d in dims { bytes += [UInt8(d >> 24 & 255), UInt8(d >> 16 & 255), UInt8(d >> 8 & 255), UInt8(d & 255)] }
        return bytes + values
    }

    // MARK: gzip, via zlib's deflate with a gzip wrapper

    static func gzip(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 64)
        var input = input
        let produced = input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = uInt(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = uInt(dst.count)
                precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    // MARK: NPY

    /// A .npy file: version `major`, dtype `descr`, `shape`, raw little-endian `payload`.
    static func npy(descr: String, shape: [Int], payload: [UInt8], major: UInt8 = 1, fortran: Bool = false) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let lengthBytes = major == 1 ? 2 : 4
        while (8 + lengthBytes + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let length = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        for i in 0..<lengthBytes { bytes.append(UInt8(length >> (8 * i) & 255)) }
        return bytes + Array(header.utf8) + payload
    }

    static func littleEndian(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(v.bitPattern >> (8 * $0) & 255) } }
    }

    static func littleEndian(_ values: [Double]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(v.bitPattern >> (8 * UInt64($0)) & 255) } }
    }

    static func littleEndian(_ values: [Int64]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(UInt64(bitPattern: v) >> (8 * UInt64($0)) & 255) } }
    }
}

/// Asserts that `body` throws an error of type `E` and returns it for further checks.
func assertThrows<E: Error, T>(
    _ type: E.Type, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
) -> E? {
    do {
        _ = try body()
        XCTFail("expected \(E.self), nothing was thrown", file: file, line: line)
    } catch let error as E {
        return error
    } catch {
        XCTFail("expected \(E.self), got \(error)", file: file, line: line)
    }
    return nil
}
