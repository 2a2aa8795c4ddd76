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
