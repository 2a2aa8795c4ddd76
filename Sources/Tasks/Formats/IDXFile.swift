/// An IDX array (the MNIST / Fashion-MNIST format): big-endian header
/// `00 00 <type> <ndims>`, then `ndims` big-endian UInt32 sizes, then the values row-major.
/// Only unsigned bytes (type 0x08) are read, which is what the image and label files hold.
struct IDXFile {
    /// Sizes, outermost first (`[N, rows, cols]` for images, `[N]` for labels).
    let dims: [Int]
    /// The values, `dims.reduce(1, *)` bytes.
    let values: ArraySlice<UInt8>

    static let typeNames: [UInt8: String] = [
        0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64",
    ]

    /// Largest IDX array read, header included, in bytes: 4 GiB (MNIST's training images are 47 MB). A header
    /// declaring more is refused before anything is inflated.
    static let maxBytes = 4 << 30

    /// Reads `path` (gzip-compressed or not) and checks it holds unsigned bytes in `rank` dimensions. A gzip file is
    /// inflated only as far as its IDX header declares (plus one byte to notice more), never past `maxBytes`.
    static func read(_ path: String, rank: Int) throws -> IDXFile {
        let raw = try FileBytes.read(path)
        guard Gzip.isGzip(raw) else { return try parse(raw, path: path, rank: rank, wasGzip: false) }
        func inflate(stopAfter: Int) throws -> (bytes: [UInt8], complete: Bool) {
            do {
                return try Gzip.inflate(raw, stopAfter: stopAfter)
            } catch let error as Gzip.Failure {
                throw DatasetFileError(path: path, .malformed("is not a valid gzip file: \(error.message)"),
                                       hint: "re-download it or decompress it with gunzip to check")
            }
        }
        let header = try inflate(stopAfter: 4 + 4 * rank).bytes
        if let declared = try declaredSize(header, path: path, rank: rank) {
            guard declared <= maxBytes else {
                throw DatasetFileError(path: path, .malformed("declares \(declared) bytes in its IDX header (sizes after gzip decompression), more than the limit of \(maxBytes)"),
                                       hint: "the file is damaged, or not a dataset this program can hold in memory")
            }
            let (bytes, complete) = try inflate(stopAfter: declared + 1)
            guard complete || bytes.count <= declared else {
                throw DatasetFileError(path: path, .malformed("inflates to more than the \(declared) bytes its IDX header declares (sizes after gzip decompression)"),
                                       hint: "the file is damaged or not an IDX file")
            }
            return try parse(bytes, path: path, rank: rank, wasGzip: true)
        }
        return try parse(header, path: path, rank: rank, wasGzip: true)  // reports the bad header
    }

    /// Header plus values in bytes as `header` declares them; nil when the header is incomplete or not the
    /// expected IDX kind (`parse` then says what is wrong).
    private static func declaredSize(_ header: [UInt8], path: String, rank: Int) throws -> Int? {
        let headerSize = 4 + 4 * rank
        guard header.count >= headerSize, header[0] == 0, header[1] == 0, header[2] == 0x08, Int(header[3]) == rank else { return nil }
        var dims = [Int]()
        for d in 0..<rank {
            let o = 4 + 4 * d
            dims.append(Int(header[o]) << 24 | Int(header[o + 1]) << 16 | Int(header[o + 2]) << 8 | Int(header[o + 3]))
        }
        return headerSize + (try FileBytes.elementCount(dims, path: path))
    }

    /// Checks decompressed bytes hold unsigned bytes in `rank` dimensions, exactly as many as the header declares.
    private static func parse(_ bytes: [UInt8], path: String, rank: Int, wasGzip: Bool) throws -> IDXFile {
        let sizeNote = wasGzip ? " (sizes after gzip decompression)" : ""
        let expectedMagic = "0x000008\(String(format2: rank)) (unsigned bytes, \(rank) dimension\(rank == 1 ? "" : "s"))"
        guard bytes.count >= 4 else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: 4, foundBytes: bytes.count), hint: "the IDX header is incomplete")
        }
        let found = "0x" + bytes[0..<4].map { String(format2: Int($0)) }.joined()
        guard bytes[0] == 0, bytes[1] == 0, let typeName = typeNames[bytes[2]] else {
            throw DatasetFileError(path: path, .wrongMagic(expected: expectedMagic, found: found),
                                   hint: "this is not an IDX file; MNIST files are named like train-images-idx3-ubyte[.gz]")
        }
        guard bytes[2] == 0x08 else {
            throw DatasetFileError(path: path, .unsupportedDType(found: "\(typeName) (0x\(String(format2: Int(bytes[2]))))",
                                                                 supported: ["unsigned byte (0x08)"]))
        }
        guard Int(bytes[3]) == rank else {
            throw DatasetFileError(path: path, .wrongMagic(expected: expectedMagic, found: found),
                                   hint: rank == 1 ? "expected a labels file (idx1)" : "expected an images file (idx\(rank))")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DatasetFileError(path: path, .truncated(expectedBytes: headerSize, foundBytes: bytes.count),
                                   hint: "the IDX header is incomplete\(sizeNote)")
        }
        var dims = [Int]()
        for d in 0..<rank {
            let o = 4 + 4 * d
            dims.append(Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3]))
        }
        let expected = headerSize + (try FileBytes.elementCount(dims, path: path))
        if bytes.count < expected {
            throw DatasetFileError(path: path, .truncated(expectedBytes: expected, foundBytes: bytes.count),
                                   hint: "the header declares \(dims.map(String.init).joined(separator: "×")) values\(sizeNote); re-download the file")
        }
        if bytes.count > expected {
            throw DatasetFileError(path: path, .malformed(
                "has \(bytes.count - expected) bytes beyond the \(expected) its header declares (\(dims.map(String.init).joined(separator: "×")))\(sizeNote)"),
                hint: "the file is damaged or not an IDX file")
        }
        return IDXFile(dims: dims, values: bytes[headerSize...])
    }
}

extension String {
    /// Two-digit lowercase hex.
    init(format2 value: Int) {
        let digits = Array("0123456789abcdef")
        self = String([digits[(value >> 4) & 15], digits[value & 15]])
    }
}
