import Foundation
import Store
import Sweep
import XCTest

final class ArtifactStoreTests: XCTestCase {
    /// FIPS 180-2 test vector: SHA-256("abc").
    let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    func testPutIsContentAddressedAndGetVerifies() throws {
        let artifacts = ArtifactStore(directory: try temporaryDirectory().appendingPathComponent("artifacts"))
        XCTAssertEqual(try artifacts.put(Data("abc".utf8)), abc)
        XCTAssertEqual(try artifacts.put(Data("abc".utf8)), abc)  // idempotent
        XCTAssertTrue(FileManager.default.fileExists(atPath: artifacts.directory.appendingPathComponent(abc + ".safetensors").path))
        XCTAssertEqual(try artifacts.get(abc), Data("abc".utf8))
        XCTAssertTrue(artifacts.contains(abc))
    }

    func testCorruptMissingAndMalformed() throws {
        let artifacts = ArtifactStore(directory: try temporaryDirectory())
        try artifacts.put(Data("abc".utf8))
        try Data("abd".utf8).write(to: artifacts.url(for: abc))
        XCTAssertThrowsError(try artifacts.get(abc)) { error in
            guard case .artifactCorrupt(let expected, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(expected, abc)
        }
        let other = String(repeating: "0", count: 64)
        XCTAssertThrowsError(try artifacts.get(other)) { XCTAssertEqual($0 as? StoreError, .artifactMissing(other)) }
        XCTAssertThrowsError(try artifacts.get("../../etc/passwd")) {
            XCTAssertEqual($0 as? StoreError, .invalidArtifactHash("../../etc/passwd"))
        }
    }
}
