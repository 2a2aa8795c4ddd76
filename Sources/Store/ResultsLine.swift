import Sweep

/// A record's results.jsonl line from the spec's JSON encoded once by the coordinator (`JobSpec.jsonBytes`): the
/// object `JSONCoding`'s encoder writes for the `JobRecord` (keys sorted, `spec` in its place), written by hand
/// (`JobReport.writeJSON(to:specJSON:)`) around those bytes.
enum ResultsLine {
    /// The line, with its newline. Decodes to the same `JobRecord` as the whole record's encoding.
    static func bytes(_ record: JobRecord, specJSON: [UInt8]) -> [UInt8] {
        var writer = CanonicalJSON.Writer()
        JobReport(record).writeJSON(to: &writer, specJSON: specJSON)
        var bytes = writer.bytes
        bytes.append(0x0a)
        return bytes
    }
}
