public import Foundation
import Sweep

/// Guide checkpoints fetched from the coordinator, kept as `<directory>/<sha256>.safetensors` so a worker
/// fetches each one once. Only the network thread writes; training threads read finished files.
public struct ArtifactCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Where artifact `hash` lives (nil for a string that is not a SHA-256 hex digest).
    public func url(for hash: String) -> URL? {
        guard ContentHash.isSHA256Hex(hash) else { return nil }
        return directory.appendingPathComponent(hash + ".safetensors")
    }

    /// Whether `hash` is cached.
    public func contains(_ hash: String) -> Bool {
        url(for: hash).map { FileManager.default.fileExists(atPath: $0.path) } ?? false
    }

    /// Stores `bytes` as `hash` after checking that they hash to it; returns the file.
    public func store(_ bytes: Data, as hash: String) throws -> URL {
        guard let url = url(for: hash) else { throw ArtifactCacheError("\"\(hash)\" is not a SHA-256 hex digest") }
        let actual = ContentHash.sha256Hex(bytes)
        guard actual == hash else {
            throw ArtifactCacheError("artifact \(hash) arrived with bytes hashing to \(actual) (corrupted in transit or on the coordinator)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw ArtifactCacheError("cannot write \(url.path): \(error.localizedDescription) (pass --cache DIR with a writable directory)")
        }
        return url
    }
}

/// A fetched artifact that cannot be used.
public struct ArtifactCacheError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
