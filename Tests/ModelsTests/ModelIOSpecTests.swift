import Config
import Models
import XCTest

final class ModelIOSpecTests: XCTestCase {
    func testInputSpecsRoundTrip() throws {
        XCTAssertEqual(try ModelInput(spec: "image:3x32x28"), .image(channels: 3, height: 32, width: 28))
        XCTAssertEqual(try ModelInput(spec: "image:1×8×8"), .image(channels: 1, height: 8, width: 8))
        XCTAssertEqual(try ModelInput(spec: "signal:2x40"), .signal(channels: 2, length: 40))
        XCTAssertEqual(try ModelInput(spec: "tokens:40:12"), .tokens(length: 40, vocabulary: 12))
        for input in [ModelInput.image(channels: 3, height: 5, width: 7), .signal(channels: 1, length: 9), .tokens(length: 4, vocabulary: 2)] {
            XCTAssertEqual(try ModelInput(spec: input.spec), input)
        }
    }

    func testOutputSpecsRoundTrip() throws {
        for output in [ModelOutput.classes(10), .perToken(7), .nextToken(12)] {
            XCTAssertEqual(try ModelOutput(spec: output.spec), output)
        }
        XCTAssertEqual(try ModelOutput(spec: "next-token:12"), .nextToken(12))
    }

    func testMalformedSpecsSayWhatIsExpected() {
        let inputs = ["image:1x28", "image:0x2x2", "signal:1x40x3", "tokens:40", "tokens:a:12", "imag:1x2x2", "image", ""]
        for text in inputs {
            XCTAssertThrowsError(try ModelInput(spec: text), text) { error in
                XCTAssertTrue("\(error)".contains("expected image:CxHxW"), "\(error)")
            }
        }
        XCTAssertThrowsError(try ModelInput(spec: "imgae:1x2x2")) { XCTAssertTrue("\($0)".contains("did you mean \"image\""), "\($0)") }
        for text in ["classes", "classes:-1", "per_token:3", "classes:10:2"] {
            XCTAssertThrowsError(try ModelOutput(spec: text), text) { error in
                XCTAssertTrue("\(error)".contains("expected classes:K"), "\(error)")
            }
        }
        XCTAssertThrowsError(try ModelOutput(spec: "per_token:3")) { XCTAssertTrue("\($0)".contains("did you mean \"per-token\""), "\($0)") }
    }
}
