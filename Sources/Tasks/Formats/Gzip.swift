import CZlib

/// gzip decompression through the system zlib.
enum Gzip {
    struct Failure: Error {
        let message: String
    }

    /// True when `bytes` start with the gzip magic 1f 8b.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed contents of a gzip stream (concatenated members included).
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        try inflate(input, stopAfter: .max).bytes
    }

    /// Inflates `input` until the stream ends or at least `stopAfter` bytes came out, whichever is first, so a
    /// small file that inflates to gigabytes (a gzip bomb) costs at most `stopAfter` plus one 1 MiB chunk of
    /// memory. `complete` is false when it stopped early (more output was left); `bytes` then holds at least
    /// `stopAfter` bytes.
    static func inflate(_ input: [UInt8], stopAfter: Int) throws -> (bytes: [UInt8], complete: Bool) {
        var stream = z_stream()
        // 15 + 16: a gzip wrapper, 32 KiB window.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(min(input.count * 4, stopAfter))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        return try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                var status: Int32 = Z_OK
                let produced = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = zlib_inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_OK:
                    if output.count >= stopAfter { return (output, false) }
                    continue
                case Z_STREAM_END:
                    // Another member may follow; anything else after the end is ignored.
                    let rest = Int(stream.avail_in)
                    let offset = source.count - rest
                    guard rest >= 2, source[offset] == 0x1F, source[offset + 1] == 0x8B else { return (output, true) }
                    if output.count >= stopAfter { return (output, false) }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw Failure(message: "the compressed stream ends early (truncated)")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw Failure(message: reason)
                }
            }
        }
    }
}

/// zlib's `inflate`, under a name that does not clash with `Gzip.inflate`.
private func zlib_inflate(_ stream: UnsafeMutablePointer<z_stream>, _ flush: Int32) -> Int32 { inflate(stream, flush) }
