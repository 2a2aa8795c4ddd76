#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for appending through a raw descriptor, so that `sync()` is a real `fsync(2)`.
final class AppendOnlyFile {
    let path: String
    private let fd: Int32

    /// Opens (creating if needed) `path` for appending.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.unwritable(path: path, reason: Self.errnoText()) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at the end of the file (no sync).
    func append(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, reason: "write failed: " + Self.errnoText())
            }
            offset += written
        }
    }

    /// Flushes written data to stable storage.
    func sync() throws {
        guard fsync(fd) == 0 else { throw StoreError.io(path: path, reason: "fsync failed: " + Self.errnoText()) }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// fsync of a directory, so that a newly created or renamed entry survives power loss.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
