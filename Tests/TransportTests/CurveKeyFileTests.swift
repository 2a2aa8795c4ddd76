import Foundation
import Transport
import XCTest

final class CurveKeyFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func mode(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
    }

    func testWrittenKeysReadBackWithOwnerOnlySecretFile() throws {
        let pair = try CurveKeyPair.generate()
        let (publicURL, secretURL) = try CurveKeyFile.write(pair, name: "worker", in: directory)
        XCTAssertEqual(publicURL.lastPathComponent, "worker.key")
        XCTAssertEqual(secretURL.lastPathComponent, "worker.key_secret")
        XCTAssertEqual(try mode(secretURL), 0o600)
        XCTAssertEqual(try mode(publicURL), 0o644)
        XCTAssertEqual(try CurveKeyFile.readKeyPair(fromSecretFile: secretURL), pair)
        XCTAssertEqual(try CurveKeyFile.readPublicKey(from: publicURL), pair.publicKey)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(leftovers, ["worker.key", "worker.key_secret"], "no temporary files left")
    }

    func testExistingKeysAreKeptUnlessOverwriteIsAsked() throws {
        let first = try CurveKeyPair.generate()
        let second = try CurveKeyPair.generate()
        let (_, secretURL) = try CurveKeyFile.write(first, name: "node", in: directory)
        XCTAssertThrowsError(try CurveKeyFile.write(second, name: "node", in: directory)) { error in
            XCTAssertTrue("\(error)".contains("already exists"), "\(error)")
        }
        XCTAssertEqual(try CurveKeyFile.readKeyPair(fromSecretFile: secretURL), first)
        try CurveKeyFile.write(second, name: "node", in: directory, overwrite: true)
        XCTAssertEqual(try CurveKeyFile.readKeyPair(fromSecretFile: secretURL), second)
        XCTAssertEqual(try mode(secretURL), 0o600)
    }

    func testSecretFileReadableByOthersIsRefused() throws {
        let pair = try CurveKeyPair.generate()
        let (_, secretURL) = try CurveKeyFile.write(pair, name: "leaky", in: directory)
        for loose in [0o644, 0o640, 0o604] {
            try FileManager.default.setAttributes([.posixPermissions: loose], ofItemAtPath: secretURL.path)
            XCTAssertThrowsError(try CurveKeyFile.readKeyPair(fromSecretFile: secretURL)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(secretURL.path), text)
                XCTAssertTrue(text.contains("group or others"), text)
                XCTAssertTrue(text.contains("chmod 600"), text)
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: secretURL.path)
        XCTAssertEqual(try CurveKeyFile.readKeyPair(fromSecretFile: secretURL), pair)
    }

    func testAllowListNamesTheBadLine() throws {
        let keys = try (0..<2).map { _ in try CurveKeyPair.generate().publicKey }
        let url = directory.appendingPathComponent("workers.keys")
        try "# workers\n\(keys[0].z85)\n\n  \(keys[1].z85)  \n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CurveKeyFile.readPublicKeys(from: url), keys)
        XCTAssertThrowsError(try CurveKeyFile.readPublicKey(from: url), "two keys where one is expected")

        try "# workers\n\(keys[0].z85)\nnot-a-key\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CurveKeyFile.readPublicKeys(from: url)) { error in
            XCTAssertEqual((error as? CurveKeyFileError)?.line, 3, "\(error)")
        }
    }

    func testMissingFileIsAClearError() {
        let url = directory.appendingPathComponent("absent.key_secret")
        XCTAssertThrowsError(try CurveKeyFile.readKeyPair(fromSecretFile: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
            XCTAssertTrue("\(error)".contains("No such file"), "\(error)")
        }
    }
}
