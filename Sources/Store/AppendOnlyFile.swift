#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for appending through a raw descriptor, so that `sync()` is a real `fsync(2)`.
final class AppendOnlyFile {
    let path: String
    private let fd: Int32
    /// Test seam: makes appends fail like a full disk.
    let fault: StoreWriteFault?

    /// Opens (creating if needed) `path` for appending.
    init(path: String, fault: StoreWriteFault? = nil) throws {
        self.path = path
        self.fault = fault
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.unwritable(path: path, reason: Self.errnoText()) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Writes all of `bytes` at the end of the file (no sync). All or nothing: when a write fails part way
    /// (disk full, I/O error) the file is cut back to its length before the call, so a failed append never
    /// leaves a partial line in front of later ones; the error says why (`StoreError.io`).
    func append(_ bytes: [UInt8]) throws {
        let start = lseek(fd, 0, SEEK_END)
        var offset = 0
        while offset < bytes.count {
            let failing = fault?.isFailing == true
            let length = failing ? (bytes.count - offset) / 2 : bytes.count - offset
            var written = length == 0 ? 0 : bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, length)
            }
            if failing, written >= 0 {
                errno = ENOSPC
                written = -1
            }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = "write failed: " + Self.errnoText()
                if start >= 0 { _ = ftruncate(fd, start) }
                throw StoreError.io(path: path, reason: reason)
            }
            offset += written
        }
    }

    /// Flushes written data to stable storage. On failure the unsynced bytes cannot be trusted (the kernel
    /// may have dropped them), so the file is cut back to `length` when given.
    func sync(truncatingTo length: off_t? = nil) throws {
        guard fsync(fd) == 0 else {
            let reason = "fsync failed: " + Self.errnoText()
            if let length { _ = ftruncate(fd, length) }
            throw StoreError.io(path: path, reason: reason)
        }
    }

    /// Current length in bytes (the offset the next append starts at).
    var length: off_t { lseek(fd, 0, SEEK_END) }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    /// fsync of a directory, so that a newly created or renamed entry survives power loss.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
