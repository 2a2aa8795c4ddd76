/// RFC 4180 CSV: the one writer and reader for every CSV file the project writes (results.csv, the report's
/// matrices, similarity.csv), so quoting rules live in one place.
public enum CSV {
    /// One field, quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
    public static func field(_ text: String) -> String {
        // Bytes, not Characters: "\r\n" is a single Character that equals neither "\r" nor "\n".
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields quoted as needed, joined by commas, ended by LF.
    public static func line(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(line: fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one record's UTF-8 (as `line`) to `bytes`, without building a string per field.
    public static func append(line fields: [String], to bytes: inout [UInt8]) {
        for (index, text) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let utf8 = text.utf8
            let needsQuotes = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
                || utf8.first == UInt8(ascii: " ") || utf8.last == UInt8(ascii: " ")
            guard needsQuotes else {
                bytes.append(contentsOf: utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(10)
    }

    /// A record of a parsed file with the 1-based line it starts on (a quoted field may span lines).
    public struct Record: Equatable, Sendable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// A quoted field that is never closed, or text after a closing quote.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Parses RFC 4180 text: records end at LF or CRLF, fields are split at commas, a field in double quotes may
    /// hold commas, line breaks and doubled quotes. Empty lines are skipped; a final record without a line end
    /// counts. Fields are returned as written (no trimming).
    public static func parse(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var quoted = false, afterQuote = false, fieldStarted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
            fieldStarted = false
        }
        func endRecord() {
            if !(fields.isEmpty && field.isEmpty && !fieldStarted) {
                endField()
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
            afterQuote = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b); i += 2; continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    if b == 10 { line += 1 }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                endField()
                fieldStarted = true
            case 13 where i + 1 < bytes.count && bytes[i + 1] == 10:
                i += 1
                fallthrough
            case 10:
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\"") where field.isEmpty && !afterQuote:
                quoted = true
                fieldStarted = true
            default:
                if afterQuote { throw ParseError(line: line, reason: "text after a closing quote; double a quote inside a quoted field (\"\")") }
                field.append(b)
                fieldStarted = true
            }
            i += 1
        }
        if quoted { throw ParseError(line: recordLine, reason: "a quoted field is never closed") }
        endRecord()
        return records
    }
}
