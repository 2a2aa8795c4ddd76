import Foundation
import Sweep

/// Reading a JSON Lines file written by appends, tolerating a torn last line.
///
/// A power loss during an append leaves the last line incomplete (no final newline), or complete but
/// garbled (blocks of zeros). Either way only the last line can be affected, so: a last line that does
/// not decode is cut off (the file is truncated to the end of the previous line) and reported; a bad
/// line anywhere before it is real corruption and an error.
enum JSONLines {
    struct Result<Element> {
        var elements: [Element]
        /// What was repaired, for the operator (empty when nothing was).
        var notes: [String]
    }

    /// Decodes every line of `url` (a missing file has none), truncating a torn last line away.
    static func read<Element: Decodable>(_ type: Element.Type, from url: URL) throws -> Result<Element> {
        guard FileManager.default.fileExists(atPath: url.path) else { return Result(elements: [], notes: []) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw StoreError.io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONCoding.makeDecoder()
        var elements: [Element] = []
        var notes: [String] = []
        var lineStart = data.startIndex
        var lineNumber = 0
        while lineStart < data.endIndex {
            lineNumber += 1
            let newline = data[lineStart...].firstIndex(of: 0x0a)
            let lineEnd = newline ?? data.endIndex
            let line = data[lineStart..<lineEnd]
            let isLast = (newline.map { $0 + 1 } ?? data.endIndex) >= data.endIndex
            do {
                guard newline != nil else { throw TornLine() }
                if let fast = (Element.self as? any FastJSONLine.Type)?.init(jsonLine: line) as? Element {
                    elements.append(fast)  // the same value, without JSONDecoder (JournalEvent: replaying a big journal)
                } else {
                    elements.append(try decoder.decode(Element.self, from: line))
                }
            } catch {
                guard isLast else {
                    throw StoreError.corruptLine(file: url.path, line: lineNumber, detail: String(describing: error).prefix(200).description)
                }
                try truncate(url, to: lineStart - data.startIndex)
                notes.append("\(url.lastPathComponent): line \(lineNumber) was torn (\(line.count) bytes, probably an interrupted write); removed it, the \(lineNumber - 1) earlier lines are intact")
                break
            }
            lineStart = lineEnd + 1
        }
        return Result(elements: elements, notes: notes)
    }

    private struct TornLine: Error {}

    private static func truncate(_ url: URL, to length: Int) throws {
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.truncate(atOffset: UInt64(length))
            try handle.synchronize()
        } catch {
            throw StoreError.io(path: url.path, reason: "cannot truncate a torn last line: \(error.localizedDescription)")
        }
    }

    /// One JSON line (with its newline) for `value`.
    static func line(_ value: some Encodable, encoder: JSONEncoder) throws -> [UInt8] {
        var bytes = [UInt8](try encoder.encode(value))
        bytes.append(0x0a)
        return bytes
    }
}
