import CoordinatorCommands
import Foundation
import Logging
import Sweep
#if canImport(Glibc)
import Glibc
#endif

/// Worker processes on this machine for `guidance sweep`: the same binary run as `guidance worker`, each
/// with its own log file. A worker that dies while the sweep runs is started again (a few times at most).
final class LocalWorkerPool {
    struct Member {
        var index: Int
        var process: Process
        var restarts: Int
    }

    let executable: URL
    let arguments: (Int) -> [String]
    let logDirectory: URL
    let logger: Logger
    let maxRestarts = 3
    private(set) var members: [Member] = []

    /// `arguments(i)` are the command-line arguments of worker `i` (starting with `worker`).
    init(count: Int, logDirectory: URL, logger: Logger, arguments: @escaping (Int) -> [String]) throws {
        executable = Self.currentExecutable()
        self.arguments = arguments
        self.logDirectory = logDirectory
        self.logger = logger
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        for index in 0..<count { members.append(Member(index: index, process: try launch(index), restarts: 0)) }
    }

    /// This binary: /proc/self/exe where there is one, else argv[0].
    static func currentExecutable() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0])
    }

    private func launch(_ index: Int) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments(index)
        let log = logDirectory.appendingPathComponent("worker-\(index).log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CLIError("cannot start worker \(index) (\(executable.path)): \(error.localizedDescription)")
        }
        logger.info("started worker \(index) (pid \(process.processIdentifier)), log \(log.path)")
        return process
    }

    /// Starts again workers that exited while the sweep still runs. Returns how many are alive.
    @discardableResult
    func superviseOnce() -> Int {
        for i in members.indices where !members[i].process.isRunning {
            let status = members[i].process.terminationStatus
            let crashed = status != 0 || members[i].process.terminationReason == .uncaughtSignal
            guard crashed, members[i].restarts < maxRestarts else { continue }
            logger.warning("worker \(i) exited with status \(status); starting it again")
            members[i].restarts += 1
            if let process = try? launch(i) { members[i].process = process }
        }
        return members.filter { $0.process.isRunning }.count
    }

    /// Waits up to `grace` for the workers to exit on their own (after the coordinator's DISCONNECT),
    /// then sends SIGTERM, and SIGKILL to any still running a second later.
    func shutDown(grace: Duration) {
        // One waiter per worker process: the group is done when every worker has exited.
        let exited = DispatchGroup()
        for member in members {
            exited.enter()
            nonisolated(unsafe) let process = member.process  // only waited on here
            Thread.detachNewThread { process.waitUntilExit(); exited.leave() }
        }
        if exited.wait(timeout: .now() + grace.seconds) == .success { return }
        for member in members where member.process.isRunning { member.process.terminate() }
        if exited.wait(timeout: .now() + 1) == .success { return }
        for member in members where member.process.isRunning { kill(member.process.processIdentifier, SIGKILL) }
        exited.wait()
    }
}
