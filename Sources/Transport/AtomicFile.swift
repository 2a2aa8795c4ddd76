import Foundation

/// Small POSIX file helpers for key files: atomic creation with a fixed mode, and reads that
/// can insist on owner-only permissions (checked on the open descriptor, so no race).
enum AtomicFile {
    /// Writes `data` to `url` with permission bits `mode`: a temporary file is created in the
    /// same directory with `mode` (umask cannot widen it), synced, then renamed over `url`
    /// (`overwrite`) or hard-linked to it (fails when `url` exists).
    static func write(_ data: Data, to url: URL, mode: mode_t, overwrite: Bool) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(path, "cannot create a file in \(directory)") }
        defer { unlink(temporary) }
        var ok = fchmod(fd, mode) == 0
        if ok {
            ok = data.withUnsafeBytes { raw -> Bool in
                var offset = 0
                while offset < raw.count {
                    let written = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return false
                    }
                    offset += written
                }
                return true
            }
        }
        if ok { ok = fsync(fd) == 0 }
        if !ok {
            let error = failure(path, "cannot write")
            close(fd)
            throw error
        }
        close(fd)
        if overwrite {
            guard rename(temporary, path) == 0 else { throw failure(path, "cannot replace") }
        } else if link(temporary, path) != 0 {
            if errno == EEXIST {
                throw CurveKeyFileError(path: path, reason: "already exists",
                                        hint: "move it away first, or pass overwrite (--force) to replace it")
            }
            throw failure(path, "cannot create")
        }
    }

    /// Reads at most `maximumSizeBytes` of a regular file. With `requirePrivate`, refuses a
    /// file whose mode grants any access to group or others; with `refuseSharedWrite`, one that
    /// group or others may write (a public key or allow-list someone else could replace).
    static func read(_ url: URL, maximumSizeBytes: Int, requirePrivate: Bool, refuseSharedWrite: Bool = false) throws -> Data {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path, "cannot stat") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CurveKeyFileError(path: path, reason: "is not a regular file", hint: "pass the key file itself")
        }
        let permissions = info.st_mode & 0o777
        if requirePrivate && permissions & 0o077 != 0 {
            throw CurveKeyFileError(
                path: path,
                reason: "secret key file is accessible by group or others (mode \(String(permissions, radix: 8)))",
                hint: "run `chmod 600 \(path)`; if others could read it, generate a new key pair")
        }
        if refuseSharedWrite && permissions & 0o022 != 0 {
            throw CurveKeyFileError(
                path: path,
                reason: "key file is writable by group or others (mode \(String(permissions, radix: 8))): they could put their own key in it",
                hint: "run `chmod go-w \(path)` and check that it holds only the keys you expect")
        }
        guard Int(info.st_size) <= maximumSizeBytes else {
            throw CurveKeyFileError(path: path, reason: "is \(info.st_size) bytes, too big for a key file",
                                    hint: "key files are a few hundred bytes; check the path")
        }
        var data = Data(count: Int(info.st_size))
        var offset = 0
        let ok = data.withUnsafeMutableBytes { raw -> Bool in
            while offset < raw.count {
                let count = Foundation.read(fd, raw.baseAddress! + offset, raw.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if count == 0 { break }
                offset += count
            }
            return true
        }
        guard ok else { throw failure(path, "cannot read") }
        return Data(data.prefix(offset))
    }

    /// An error for the current `errno`.
    private static func failure(_ path: String, _ what: String) -> CurveKeyFileError {
        let code = errno
        let hint: String
        switch code {
        case ENOENT: hint = "check the path; generate keys with `guidance keys generate`"
        case EACCES, EPERM: hint = "check the file's owner and permissions"
        default: hint = ""
        }
        return CurveKeyFileError(path: path, reason: "\(what): \(String(cString: strerror(code)))", hint: hint)
    }
}
