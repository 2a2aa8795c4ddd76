import Foundation
import Sweep

/// A record's results.jsonl line from the spec's JSON encoded once by the coordinator: the record less its spec
/// (`JobReport`, the same keys `JobRecord` writes) with `"spec":` + that JSON spliced in as the last member.
enum ResultsLine {
    /// The line, with its newline. Decodes to the same `JobRecord` as the whole record's encoding.
    static func bytes(_ record: JobRecord, specJSON: [UInt8], encoder: JSONEncoder) throws -> [UInt8] {
        var bytes = [UInt8](try encoder.encode(JobReport(record)))
        guard bytes.last == 0x7d else { return bytes }  // always an object; defensive
        bytes.removeLast()
        bytes.append(contentsOf: #","spec":"#.utf8)
        bytes.append(contentsOf: specJSON)
        bytes.append(contentsOf: [0x7d, 0x0a])
        return bytes
    }
}
