import Foundation

/// Builds safetensors bytes by hand, following the layout of the Python `safetensors` package:
/// 8-byte little-endian header length N, N bytes of JSON header, then the data section.
/// Nothing here uses the code under test.
enum SafeTensorsFixture {
    /// `header` verbatim (no padding added) followed by `data`.
    static func bytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> Data {
        let json = Array(header.utf8)
        let length = declaredLength ?? UInt64(json.count)
        var out = Data((0..<8).map { UInt8((length >> (8 * UInt64($0))) & 0xFF) })
        out.append(contentsOf: json)
        out.append(contentsOf: data)
        return out
    }

    /// The header padded with trailing spaces so the data section starts at a multiple of 8, as Python writes it.
    static func padded(_ header: String) -> String {
        let count = header.utf8.count
        return header + String(repeating: " ", count: (8 - (8 + count) % 8) % 8)
    }

    /// A temporary directory for one test, removed by the caller.
    static func makeDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("torchtests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
