/// CIFAR binary batches: fixed-size records of label byte(s) then 3072 pixel bytes
/// (1024 red, 1024 green, 1024 blue, each 32×32 row-major). CIFAR-10 records have one label
/// byte (3073 bytes); CIFAR-100 records have a coarse then a fine label byte (3074 bytes).
struct CIFARFile {
    static let pixelBytes = 3 * 32 * 32

    /// `[N, 3, 32, 32]` pixel bytes.
    var pixels: [UInt8] = []
    /// `[N]` labels (the chosen label byte).
    var labels: [Int64] = []

    /// Appends the records of `path`; `labelBytes` is 1 (CIFAR-10) or 2 (CIFAR-100), `labelIndex`
    /// picks which label byte to keep; labels must be `< classes`.
    mutating func append(_ path: String, labelBytes: Int, labelIndex: Int, classes: Int) throws {
        let bytes = try FileBytes.read(path)
        let record = labelBytes + Self.pixelBytes
        let count = bytes.count / record
        guard bytes.count % record == 0, count > 0 else {
            let expected = max(count + (bytes.count % record == 0 ? 0 : 1), 1) * record
            let other = labelBytes == 1 ? 3074 : 3073
            let hint = bytes.count % other == 0 && bytes.count > 0
                ? "its size fits \(other)-byte records: this looks like \(labelBytes == 1 ? "CIFAR-100 (use task cifar100)" : "CIFAR-10 (use task cifar10)")"
                : "records are \(record) bytes (\(labelBytes) label byte\(labelBytes == 1 ? "" : "s") + 3072 pixels); re-download the file"
            throw DatasetFileError(path: path, .truncated(expectedBytes: expected, foundBytes: bytes.count), hint: hint)
        }
        pixels.reserveCapacity(pixels.count + count * Self.pixelBytes)
        labels.reserveCapacity(labels.count + count)
        for r in 0..<count {
            let base = r * record
            let label = Int(bytes[base + labelIndex])
            guard label < classes else {
                throw DatasetFileError(path: path, .malformed("record \(r) has label \(label), but there are only \(classes) classes"),
                                       hint: labelBytes == 1 ? "is this a CIFAR-100 file? use task cifar100" : "the file is damaged")
            }
            labels.append(Int64(label))
            pixels += bytes[base + labelBytes..<base + record]
        }
    }
}
