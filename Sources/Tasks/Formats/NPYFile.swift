import Foundation

/// A NumPy `.npy` array (format versions 1.0, 2.0, 3.0): magic `\x93NUMPY`, version bytes,
/// a little-endian header length (2 bytes in v1, 4 in v2/v3), a Python dict literal header
/// (`descr`, `fortran_order`, `shape`), then the data. C order only; element types float32,
/// float64, uint8, int64, little-endian.
struct NPYFile {
    enum Values {
        case float32([Float])
        case float64([Double])
        case uint8([UInt8])
        case int64([Int64])
    }

    let shape: [Int]
    let descr: String
    let values: Values

    static let supported = ["<f4 (float32)", "<f8 (float64)", "|u1 (uint8)", "<i8 (int64)"]

    /// True for integer element types.
    var isInteger: Bool {
        switch values {
        case .uint8, .int64: true
        case .float32, .float64: false
        }
    }

    /// The values as floats (uint8 divided by `byteDivisor`).
    func floats(byteDivisor: Float = 1) -> [Float] {
        switch values {
        case let .float32(v): v
        case let .float64(v): v.map { Float($0) }
        case let .uint8(v): v.map { Float($0) / byteDivisor }
        case let .int64(v): v.map { Float($0) }
        }
    }

    /// The values as integers, or nil for floating-point arrays.
    func integers() -> [Int64]? {
        switch values {
        case let .uint8(v): v.map { Int64($0) }
        case let .int64(v): v
        case .float32, .float64: nil
        }
    }

    static func read(_ path: String) throws -> NPYFile {
        let bytes = try FileBytes.read(path)
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 6, Array(bytes[0..<6]) == magic else {
            let found = bytes.prefix(6).map { "\\x" + String(format2: Int($0)) }.joined()
            throw DatasetFileError(path: path, .wrongMagic(expected: "\\x93NUMPY", found: found.isEmpty ? "an empty file" : found),
                                   hint: "save arrays with numpy.save (not savez or pickle)")
        }
        guard bytes.count >= 10 else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: 10, foundBytes: bytes.count), hint: "the NPY preamble is incomplete")
        }
        let major = bytes[6]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default:
            throw DatasetFileError(path: path, .malformed("has NPY format version \(major).\(bytes[7]); supported: 1.0, 2.0, 3.0"))
        }
        guard bytes.count >= 8 + lengthBytes else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: 8 + lengthBytes, foundBytes: bytes.count), hint: "the NPY preamble is incomplete")
        }
        var headerLength = 0
        for i in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        let dataStart = 8 + lengthBytes + headerLength
        guard bytes.count >= dataStart else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: dataStart, foundBytes: bytes.count), hint: "the NPY header is incomplete")
        }
        guard let header = String(validating: bytes[(8 + lengthBytes)..<dataStart], as: UTF8.self) else {
            throw DatasetFileError(path: path, .malformed("has a header that is not text"))
        }
        let (descr, fortran, shape) = try parseHeader(header, path: path)
        if fortran { throw DatasetFileError(path: path, .fortranOrder, hint: "save it with numpy.save(path, numpy.ascontiguousarray(a))") }
        let elementSize: Int
        switch descr {
        case "<f4", "=f4": elementSize = 4
        case "<f8", "=f8", "<i8", "=i8": elementSize = 8
        case "|u1", "<u1", "=u1", ">u1": elementSize = 1
        default:
            throw DatasetFileError(path: path, .unsupportedDType(found: descr, supported: supported),
                                   hint: "convert with a.astype(numpy.float32) (or int64 for labels)")
        }
        let count = try FileBytes.elementCount(shape, path: path)
        let expected = dataStart + count * elementSize
        guard bytes.count >= expected else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: expected, foundBytes: bytes.count),
                                   hint: "the header declares shape \(shape) of \(descr)")
        }
        let values: Values = bytes.withUnsafeBytes { raw in
            func load<T>(_ make: (Int) -> T) -> [T] { (0..<count).map(make) }
            switch elementSize {
            case 1: return .uint8(Array(bytes[dataStart..<expected]))
            case 4:
                return .float32(load { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 4 * $0, as: UInt32.self))) })
            default:
                if descr.hasSuffix("f8") {
                    return .float64(load { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 8 * $0, as: UInt64.self))) })
                }
                return .int64(load { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + 8 * $0, as: Int64.self)) })
            }
        }
        return NPYFile(shape: shape, descr: descr, values: values)
    }

    /// Parses `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
    static func parseHeader(_ header: String, path: String) throws -> (descr: String, fortran: Bool, shape: [Int]) {
        func after(_ key: String) throws -> Substring {
            guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else {
                throw DatasetFileError(path: path, .malformed("has an NPY header without '\(key)': \(header.trimmingWhitespace)"))
            }
            var rest = header[r.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else {
                throw DatasetFileError(path: path, .malformed("has an unreadable NPY header: \(header.trimmingWhitespace)"))
            }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        let descrRest = try after("descr")
        guard let quote = descrRest.first, quote == "'" || quote == "\"",
              let end = descrRest.dropFirst().firstIndex(of: quote) else {
            throw DatasetFileError(path: path, .unsupportedDType(found: String(descrRest.prefix(30)), supported: supported),
                                   hint: "structured arrays are not supported")
        }
        let descr = String(descrRest[descrRest.index(after: descrRest.startIndex)..<end])
        let fortranRest = try after("fortran_order")
        let fortran = fortranRest.hasPrefix("True")
        guard fortran || fortranRest.hasPrefix("False") else {
            throw DatasetFileError(path: path, .malformed("has an unreadable fortran_order in its NPY header"))
        }
        let shapeRest = try after("shape")
        guard shapeRest.first == "(", let close = shapeRest.firstIndex(of: ")") else {
            throw DatasetFileError(path: path, .malformed("has an unreadable shape in its NPY header"))
        }
        let inner = shapeRest[shapeRest.index(after: shapeRest.startIndex)..<close]
        var shape = [Int]()
        for part in inner.split(separator: ",") {
            let t = part.trimmingWhitespace
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else {
                throw DatasetFileError(path: path, .malformed("has an unreadable shape (\(inner)) in its NPY header"))
            }
            shape.append(n)
        }
        return (descr, fortran, shape)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
