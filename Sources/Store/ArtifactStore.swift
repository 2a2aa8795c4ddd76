public import Foundation
import Sweep

/// Content-addressed checkpoints: `artifacts/<sha256>.safetensors`. The name is the SHA-256 of the bytes,
/// so a put is idempotent and a get can prove it returns what was put.
public struct ArtifactStore: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The file an artifact lives in (whether or not it exists).
    public func url(for hash: String) throws -> URL {
        guard ContentHash.isSHA256Hex(hash) else { throw StoreError.invalidArtifactHash(hash) }
        return directory.appendingPathComponent(hash + ".safetensors")
    }

    /// Stores `bytes` durably (temporary file, fsync, rename) and returns their SHA-256 hex.
    @discardableResult
    public func put(_ bytes: Data) throws -> String {
        let hash = ContentHash.sha256Hex(bytes)
        let destination = try url(for: hash)
        if FileManager.default.fileExists(atPath: destination.path) { return hash }
        let temporary = directory.appendingPathComponent(".tmp-\(hash)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw StoreError.unwritable(path: temporary.path, reason: "cannot create file")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, destination.path) != 0 {
                throw StoreError.io(path: destination.path, reason: "rename failed: " + AppendOnlyFile.errnoText())
            }
            AppendOnlyFile.syncDirectory(directory.path)
        } catch let error as StoreError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError.unwritable(path: directory.path, reason: error.localizedDescription)
        }
        return hash
    }

    /// The bytes of artifact `hash`, verified against it.
    public func get(_ hash: String) throws -> Data {
        let file = try url(for: hash)
        guard let bytes = FileManager.default.contents(atPath: file.path) else { throw StoreError.artifactMissing(hash) }
        let actual = ContentHash.sha256Hex(bytes)
        guard actual == hash else { throw StoreError.artifactCorrupt(expected: hash, actual: actual) }
        return bytes
    }

    /// Whether artifact `hash` is present (not verified).
    public func contains(_ hash: String) -> Bool {
        (try? url(for: hash)).map { FileManager.default.fileExists(atPath: $0.path) } ?? false
    }
}
