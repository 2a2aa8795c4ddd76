public import Foundation

/// Reading and writing named tensors in the safetensors format (the Hugging Face checkpoint format):
///
///     [8 bytes: header length N, little-endian u64][N bytes: JSON header][data]
///
/// The header maps each name to `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` (offsets into
/// the data section) plus an optional `"__metadata__"` string map. Tensors are stored in C order, little-endian.
/// Files written here are padded with spaces so the data starts 8-byte aligned, names are sorted and the data
/// is laid out in that order, so the same tensors always give the same bytes.
public enum SafeTensors {
    /// What went wrong with a safetensors file, and which file.
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The header of one tensor.
    public struct Entry: Equatable, Sendable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
    }

    static let dtypeNames: [(DType, String)] = [
        (.float32, "F32"), (.float64, "F64"), (.float16, "F16"), (.bfloat16, "BF16"), (.int64, "I64"),
        (.int32, "I32"), (.int16, "I16"), (.int8, "I8"), (.uint8, "U8"), (.bool, "BOOL"),
    ]
    static func name(of dtype: DType) -> String { dtypeNames.first { $0.0 == dtype }!.1 }
    static func dtype(named name: String) -> DType? { dtypeNames.first { $0.1 == name }?.0 }

    /// Largest header accepted (the reference implementation's limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    // MARK: writing

    /// The file's bytes for `tensors` (copied to the CPU) and string `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var chunks: [[UInt8]] = []
        var offset = 0
        for name in tensors.keys.sorted() {
            let tensor = tensors[name]!
            let bytes = try tensor.bytes()
            header[name] = ["dtype": Self.name(of: tensor.dtype), "shape": tensor.shape, "data_offsets": [offset, offset + bytes.count]]
            offset += bytes.count
            chunks.append(bytes)
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let padding = (8 - (8 + json.count) % 8) % 8
        json.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
        var out = Data(capacity: 8 + json.count + offset)
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(json)
        for chunk in chunks { out.append(contentsOf: chunk) }
        return out
    }

    /// Writes `tensors` to `url` atomically (a temporary file renamed into place).
    public static func save(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let data = try encode(tensors, metadata: metadata)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw FormatError(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    // MARK: reading

    /// The header entries (sorted by data offset) and metadata of a safetensors file's bytes; `path` names the
    /// file in errors.
    public static func parseHeader(_ data: Data, path: String = "<memory>") throws -> (entries: [Entry], metadata: [String: String], dataStart: Int) {
        func fail(_ reason: String) -> FormatError { FormatError(path: path, reason: reason) }
        guard data.count >= 8 else {
            throw fail("file is \(data.count) bytes, shorter than the 8-byte header length; not a safetensors file or truncated")
        }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(maxHeaderBytes) else { throw fail("header length \(length) exceeds \(maxHeaderBytes) bytes; corrupt file") }
        let headerEnd = 8 + Int(length)
        guard headerEnd <= data.count else {
            throw fail("header claims \(length) bytes but the file has only \(data.count - 8) after the length; truncated")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data.subdata(in: (data.startIndex + 8)..<(data.startIndex + headerEnd)))
        } catch {
            throw fail("header is not valid JSON (\(error.localizedDescription)); corrupt file")
        }
        guard let header = object as? [String: Any] else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
                metadata = map
                continue
            }
            guard let info = value as? [String: Any] else { throw fail("entry '\(name)' is not an object") }
            guard let dtypeName = info["dtype"] as? String else { throw fail("entry '\(name)' has no dtype") }
            guard let dtype = dtype(named: dtypeName) else {
                throw fail("entry '\(name)' has dtype \(dtypeName); supported: \(dtypeNames.map(\.1).joined(separator: ", "))")
            }
            guard let shapeAny = info["shape"] as? [Any], let shape = ints(shapeAny), shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("entry '\(name)' has no valid shape (a list of non-negative integers)")
            }
            guard let offsetsAny = info["data_offsets"] as? [Any], let offsets = ints(offsetsAny), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw fail("entry '\(name)' has no valid data_offsets [begin, end]")
            }
            // A corrupt shape must not trap on overflow: count elements and bytes with overflow checks.
            guard let count = Tensor.elementCount(shape),
                  case let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize), !overflow else {
                throw fail("entry '\(name)' has shape \(shape), too large to address; corrupt header")
            }
            guard offsets[1] - offsets[0] == expected else {
                throw fail("entry '\(name)' spans \(offsets[1] - offsets[0]) bytes but \(dtypeName)\(shape) needs \(expected)")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, range: offsets[0]..<offsets[1]))
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound, $0.name) < ($1.range.lowerBound, $1.range.upperBound, $1.name) }
        var cursor = 0
        for entry in entries {
            guard entry.range.lowerBound == cursor else {
                throw fail(entry.range.lowerBound < cursor ? "entry '\(entry.name)' overlaps the previous tensor"
                                                          : "gap before entry '\(entry.name)' at byte \(cursor)")
            }
            cursor = entry.range.upperBound
        }
        let available = data.count - headerEnd
        guard cursor == available else {
            throw fail(cursor > available ? "data section has \(available) bytes but the header describes \(cursor); truncated"
                                          : "data section has \(available - cursor) trailing bytes no entry describes")
        }
        return (entries, metadata, headerEnd)
    }

    /// Every tensor of a safetensors file's bytes, by name, on `device`.
    public static func decode(_ data: Data, path: String = "<memory>", device: Device = .cpu) throws -> [String: Tensor] {
        let (entries, _, start) = try parseHeader(data, path: path)
        var result: [String: Tensor] = [:]
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for entry in entries {
                let slice = UnsafeRawBufferPointer(rebasing: raw[(start + entry.range.lowerBound)..<(start + entry.range.upperBound)])
                let tensor = try Tensor.fromBytes(slice, shape: entry.shape, dtype: entry.dtype)
                result[entry.name] = device == .cpu ? tensor : try tensor.to(device)
            }
        }
        return result
    }

    /// Every tensor stored in the file at `url`, by name.
    public static func load(from url: URL, device: Device = .cpu) throws -> [String: Tensor] {
        try decode(read(url), path: url.path, device: device)
    }

    /// The string metadata stored in the file at `url`.
    public static func metadata(at url: URL) throws -> [String: String] {
        try parseHeader(read(url), path: url.path).metadata
    }

    static func read(_ url: URL) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FormatError(path: url.path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw FormatError(path: url.path, reason: "is a directory, expected a .safetensors file") }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw FormatError(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    private static func ints(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        out.reserveCapacity(values.count)
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), Swift.abs(double) < 9e15 else { return nil }
            out.append(number.intValue)
        }
        return out
    }
}
