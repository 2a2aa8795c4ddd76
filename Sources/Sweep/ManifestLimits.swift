public import Foundation

/// Bounds on a manifest, checked before anything large is built: its size in bytes and its nesting depth
/// before the YAML parser sees it, the number of jobs its grid multiplies to before the grid is expanded.
/// A manifest describes a grid in a few lines; past these bounds it is a mistake or an attack, and planning it
/// would exhaust memory or the stack.
public struct ManifestLimits: Sendable, Hashable {
    /// Largest manifest file, in bytes. Default 1 MiB (long seed lists are written as a count: `seeds: 1000`).
    public var maxBytes: Int
    /// Deepest nesting of lists and mappings (block indentation levels plus `[`/`{` levels). Default 64.
    public var maxDepth: Int
    /// Most jobs a grid may multiply to (`guidance plan|sweep|coordinator --max-jobs`). Default 1,000,000.
    public var maxJobs: Int

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 64, maxJobs: Int = 1_000_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxJobs = maxJobs
    }
}

extension Manifest {
    /// The manifest's text from its bytes: refuses a file over `limits.maxBytes` and bytes that are not UTF-8
    /// (naming the first bad byte's offset and line). Throws `ManifestError`.
    public static func text(of data: Data, file: String, limits: ManifestLimits = ManifestLimits()) throws -> String {
        guard data.count <= limits.maxBytes else {
            throw ManifestError(issues: [ManifestIssue(
                file: file, line: nil, column: nil, path: "",
                message: "the manifest has \(data.count) bytes, more than the limit of \(limits.maxBytes)",
                hint: "a manifest describes a grid in a few lines: write long seed lists as a count (seeds: 1000)")])
        }
        let bytes = [UInt8](data)
        if let bad = firstInvalidUTF8(bytes) {
            let line = bytes[..<bad].reduce(1) { $1 == 0x0a ? $0 + 1 : $0 }
            throw ManifestError(issues: [ManifestIssue(
                file: file, line: line, column: nil, path: "",
                message: "the manifest is not UTF-8 text: byte offset \(bad) is 0x\(String(format: "%02X", bytes[bad]))",
                hint: "save the file as UTF-8")])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int, lowest: UInt32
            switch lead {
            case 0x00...0x7f: index += 1; continue
            case 0xc2...0xdf: length = 2; lowest = 0x80
            case 0xe0...0xef: length = 3; lowest = 0x800
            case 0xf0...0xf4: length = 4; lowest = 0x10000
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            var scalar = UInt32(lead) & (0xff >> (length + 1))
            for offset in 1..<length {
                let next = bytes[index + offset]
                guard next & 0xc0 == 0x80 else { return index + offset }
                scalar = scalar << 6 | UInt32(next & 0x3f)
            }
            guard scalar >= lowest, scalar <= 0x10ffff, !(0xd800...0xdfff).contains(scalar) else { return index }
            index += length
        }
        return nil
    }

    /// The first line (1-based) at which the YAML nests deeper than `limit`, with that depth; nil when it never
    /// does. Counts block indentation levels, compact `- ` entries and `[`/`{` levels outside quotes and comments.
    static func excessiveNesting(in text: String, limit: Int) -> (line: Int, depth: Int)? {
        var indents: [Int] = []
        var flow = 0
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            var position = bytes.prefix { $0 == 0x20 }.count
            guard position < bytes.count, bytes[position] != 0x23, bytes[position] != 0x0d else { continue }  // blank, comment
            var block = 0
            if flow == 0 {
                while let last = indents.last, last > position { indents.removeLast() }
                if indents.last != position { indents.append(position) }
                block = indents.count
                while position + 1 < bytes.count, bytes[position] == 0x2d, bytes[position + 1] == 0x20 {  // "- - - x"
                    block += 1
                    position += 2
                    while position < bytes.count, bytes[position] == 0x20 { position += 1 }
                }
            }
            var quote: UInt8?
            var previous: UInt8 = 0x20
            var deepest = flow
            while position < bytes.count {
                let byte = bytes[position]
                if let open = quote {
                    if byte == open { quote = nil } else if byte == 0x5c, open == 0x22 { position += 1 }
                } else {
                    switch byte {
                    case 0x22, 0x27 where [0x20, 0x09, 0x5b, 0x7b, 0x2c].contains(previous): quote = byte
                    case 0x23 where previous == 0x20 || previous == 0x09: position = bytes.count; continue
                    case 0x5b, 0x7b: flow += 1; deepest = max(deepest, flow)
                    case 0x5d, 0x7d: flow = max(flow - 1, 0)
                    default: break
                    }
                }
                previous = byte
                position += 1
            }
            if block + deepest > limit { return (lineNumber, block + deepest) }
        }
        return nil
    }

    /// The text checked for depth before parsing; throws `ManifestError` naming the line.
    static func checkNesting(_ yaml: String, file: String, limits: ManifestLimits) throws {
        guard let (line, depth) = excessiveNesting(in: yaml, limit: limits.maxDepth) else { return }
        throw ManifestError(issues: [ManifestIssue(
            file: file, line: line, column: nil, path: "",
            message: "lists and mappings nest \(depth) deep here, more than the limit of \(limits.maxDepth)",
            hint: "a manifest needs a few levels; check for unbalanced brackets")])
    }

    /// The number of jobs the axes multiply to (an upper bound of the plan's count), saturating at Int.max.
    static func gridProduct(_ axes: [(String, Int)]) -> Int {
        axes.reduce(1) { product, axis in
            let (result, overflow) = product.multipliedReportingOverflow(by: max(axis.1, 1))
            return overflow ? Int.max : result
        }
    }
}
