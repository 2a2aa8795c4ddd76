@testable import Store
import XCTest

/// RFC 4180 quoting of one CSV field.
final class CSVFieldTests: XCTestCase {
    func testQuotesLineBreaksIncludingCRLF() {
        XCTAssertEqual(CSV.field("a\r\nb"), "\"a\r\nb\"")
        XCTAssertEqual(CSV.field("a\nb"), "\"a\nb\"")
        XCTAssertEqual(CSV.field("a\rb"), "\"a\rb\"")
    }

    func testQuotesCommasQuotesAndSurroundingSpaces() {
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field(" padded"), "\" padded\"")
        XCTAssertEqual(CSV.field("plain"), "plain")
        XCTAssertEqual(CSV.field("é, ü"), "\"é, ü\"")
    }
}

/// RFC 4180 parsing (the reader every CSV consumer uses), checked against what the writer produces.
final class CSVParseTests: XCTestCase {
    func testReadsWhatTheWriterWrites() throws {
        let rows = [["a,b", "say \"hi\"", "plain"], ["multi\r\nline", "", " padded "], ["é, ü", "x\ny", "1e-3"]]
        let text = rows.map(CSV.line).joined()
        XCTAssertEqual(try CSV.parse(text).map(\.fields), rows)
    }

    func testLineNumbersCountLinesInsideQuotedFieldsAndSkipEmptyLines() throws {
        let records = try CSV.parse("h1,h2\n\"a\nb\",c\n\nd,e\r\nf,")
        XCTAssertEqual(records, [CSV.Record(line: 1, fields: ["h1", "h2"]), CSV.Record(line: 2, fields: ["a\nb", "c"]),
                                 CSV.Record(line: 5, fields: ["d", "e"]), CSV.Record(line: 6, fields: ["f", ""])])
    }

    func testUnclosedQuoteAndTextAfterAQuoteAreErrorsWithTheLine() {
        XCTAssertThrowsError(try CSV.parse("a,b\n\"open,c\n")) {
            XCTAssertEqual(($0 as? CSV.ParseError)?.line, 2)
        }
        XCTAssertThrowsError(try CSV.parse("a\n\"q\"x,b\n")) {
            XCTAssertEqual(($0 as? CSV.ParseError)?.line, 2)
        }
    }
}
