public import ArgumentParser
public import Foundation
public import Logging

/// `--log-level`, shared by the long-running commands; bootstraps swift-log (only the executable does).
public struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    public var logLevel: String = "info"

    public init() {}

    public func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning, error or critical")
        }
    }

    public var level: Logger.Level { Logger.Level(rawValue: logLevel) ?? .info }

    /// Log lines go to standard error.
    public func bootstrapToStandardError() {
        let level = self.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Log lines go to `file` (appended), so that a live display owns the terminal.
    public func bootstrap(toFile file: URL) throws {
        let sink = try LogFile(url: file)
        let level = self.level
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink, logLevel: level) }
    }
}

/// A log file shared by every logger of the process (thread-safe appends).
public final class LogFile: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    public init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw CLIError("cannot write the log file \(url.path) (check the directory's permissions)")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    public func write(_ line: String) {
        lock.lock()
        handle.write(Data(line.utf8))
        lock.unlock()
    }
}

/// A swift-log handler writing `time level label: message key=value` lines to a `LogFile`.
public struct FileLogHandler: LogHandler {
    let label: String
    let sink: LogFile
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]

    public init(label: String, sink: LogFile, logLevel: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        sink.write("\(time) \(event.level) \(label): \(event.message)\(fields)\n")
    }
}
