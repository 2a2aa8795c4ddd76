import CoordinatorCommands
import Foundation
import Sweep

#if canImport(Glibc)
import Glibc
#endif

/// Latency of one small append plus `fsync(2)` in the benchmark's directory: what each durable commit of
/// the coordinator's journal costs at least (it fsyncs results.jsonl and journal.jsonl once per loop turn).
struct CoordinatorBenchFsync {
    let directory: URL
    let count: Int

    /// Per append + fsync of a 200-byte line, µs.
    func run() throws -> CoordinatorBenchStats {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("fsync-probe-\(UUID().uuidString.prefix(8)).jsonl").path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CLIError("cannot create \(path) for the fsync probe: \(String(cString: strerror(errno)))") }
        defer {
            close(fd)
            unlink(path)
        }
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 199) + [0x0a]
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<count {
            let started = clock.now
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count, fsync(fd) == 0 else { throw CLIError("fsync probe: \(String(cString: strerror(errno)))") }
            samples.append((clock.now - started).seconds * 1e6)
        }
        return CoordinatorBenchStats(samples)
    }
}
