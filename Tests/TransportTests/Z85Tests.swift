import Foundation
import Transport
import XCTest

final class Z85Tests: XCTestCase {
    /// The test vector from the Z85 specification (ZeroMQ RFC 32).
    func testSpecificationVector() throws {
        let bytes = Data([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        XCTAssertEqual(try Z85.encode(bytes), "HelloWorld")
        XCTAssertEqual(try Z85.decode("HelloWorld"), bytes)
    }

    func testRoundTripOfArbitraryBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 4, 32, 400] {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let text = try Z85.encode(bytes)
            XCTAssertEqual(text.count, length / 4 * 5)
            XCTAssertEqual(try Z85.decode(text), bytes)
        }
        XCTAssertEqual(try Z85.decode(Z85.encode(Data(repeating: 0xFF, count: 32))), Data(repeating: 0xFF, count: 32))
    }

    func testInvalidInputIsRejectedClearly() {
        XCTAssertThrowsError(try Z85.encode(Data([1, 2, 3]))) { XCTAssertTrue("\($0)".contains("multiple of 4")) }
        XCTAssertThrowsError(try Z85.decode("Hello Worl")) { XCTAssertTrue("\($0)".contains("alphabet"), "\($0)") }
        XCTAssertThrowsError(try Z85.decode("HelloWorl")) { XCTAssertTrue("\($0)".contains("multiple of 5")) }
        XCTAssertThrowsError(try Z85.decode("#####"), "exceeds 2^32")
    }

    func testCurveKeysRoundTripThroughZ85() throws {
        let pair = try CurveKeyPair.generate()
        XCTAssertEqual(pair.publicKey.z85.count, 40)
        XCTAssertEqual(try CurvePublicKey(z85: pair.publicKey.z85), pair.publicKey)
        XCTAssertEqual(try CurveSecretKey(z85: " \(pair.secretKey.z85)\n"), pair.secretKey)
        XCTAssertEqual(try pair.secretKey.publicKey(), pair.publicKey, "derived public key matches the generated one")
        XCTAssertEqual(pair.publicKey.fingerprint, String(pair.publicKey.z85.prefix(8)))
        XCTAssertFalse("\(pair.secretKey)".contains(pair.secretKey.z85), "secret keys are not printed")
        XCTAssertNotEqual(try CurveKeyPair.generate().publicKey, pair.publicKey)
        XCTAssertThrowsError(try CurvePublicKey(z85: String(pair.publicKey.z85.dropLast())))
        XCTAssertThrowsError(try CurvePublicKey(bytes: Data(count: 31)))
    }
}
