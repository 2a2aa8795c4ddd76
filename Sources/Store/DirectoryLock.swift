import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock on a results directory (`<dir>/lock`, a POSIX record lock), held by the one
/// coordinator process that writes it for as long as its `ResultStore` lives. A second coordinator on the same directory would append a
/// second record for every job both run and interleave their journals; it is refused instead. The kernel drops
/// the lock when the holder exits, however it exits (no stale lock after a crash or SIGKILL). The file holds the
/// holder's pid and start time, for the refusal message. Readers (reports, `status`) take no lock.
/// POSIX record locks belong to the process: a second store on the same directory in the same process (tests that
/// reopen a store) is not refused. The guard is between processes, which is where two coordinators meet.
final class DirectoryLock {
    private let descriptor: Int32

    /// Takes the lock or throws `StoreError.inUse` naming the holder; never waits.
    init(directory: URL) throws {
        let path = directory.appendingPathComponent("lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        var request = flock()
        request.l_type = Int16(F_WRLCK)
        request.l_whence = Int16(SEEK_SET)
        guard fcntl(fd, F_SETLK, &request) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw StoreError.inUse(path: directory.path, holder: holder?.isEmpty == false ? holder : nil)
        }
        descriptor = fd
        let note = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(Date())\n"
        _ = ftruncate(fd, 0)
        _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit { close(descriptor) }
}
