public import Foundation
public import Sweep
import Tasks

/// The directories a worker may read task data from (`guidance worker --data-root DIR`, repeatable; default:
/// the colon-separated directories in `GUIDANCE_DATA_ROOTS`, else the working directory).
///
/// A JOB names data files in its task's path options (`npy`'s `train_inputs`, `idx`'s `path`, ...). Before a job
/// runs, each such path is resolved (relative to the working directory, symlinks followed) and must lie in one of
/// the roots; otherwise the job is refused without opening anything. This keeps a coordinator (or whoever holds
/// its key) from making the worker train on, and send back checkpoints of, any file the worker's user can read.
public struct DataRoots: Sendable, Equatable {
    /// The environment variable read for the default roots (colon-separated directories).
    public static let environmentVariable = "GUIDANCE_DATA_ROOTS"

    /// Resolved absolute directories (symlinks followed), as given order.
    public let directories: [String]

    /// Roots from `paths` (relative ones against `workingDirectory`). Each is resolved once, now.
    public init(_ paths: [String], workingDirectory: String = FileManager.default.currentDirectoryPath) {
        directories = paths.map { Self.resolve($0, workingDirectory: workingDirectory) }
    }

    /// The default roots: `GUIDANCE_DATA_ROOTS` (colon-separated, empty entries ignored) when set and not empty,
    /// else the working directory.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       workingDirectory: String = FileManager.default.currentDirectoryPath) -> DataRoots {
        let listed = (environment[environmentVariable] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return DataRoots(listed.isEmpty ? [workingDirectory] : listed, workingDirectory: workingDirectory)
    }

    /// Whether `path` (relative to `workingDirectory`) resolves into one of the roots.
    public func contains(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> Bool {
        let resolved = Self.resolve(path, workingDirectory: workingDirectory)
        return directories.contains { root in
            root == "/" || resolved == root || resolved.hasPrefix(root + "/")
        }
    }

    /// The task data paths `spec` names (its task's options of type path), as (option, path); empty for tasks
    /// without files, unknown tasks and test jobs.
    public static func dataPaths(of spec: JobSpec) -> [(option: String, path: String)] {
        guard spec.kind == .train, let descriptor = try? TaskRegistry.descriptor(named: spec.task.name) else { return [] }
        return descriptor.fields.filter { $0.type == .path }.compactMap { field in
            guard case .string(let path)? = spec.task.options[field.name] else { return nil }
            return (field.name, path)
        }
    }

    /// Why `spec` may not run here (the first data path outside the roots), or nil when it may.
    public func refusal(for spec: JobSpec, workingDirectory: String = FileManager.default.currentDirectoryPath) -> DataRootRefusal? {
        for (option, path) in Self.dataPaths(of: spec) where !contains(path, workingDirectory: workingDirectory) {
            return DataRootRefusal(task: spec.task.name, option: option, path: path, roots: directories)
        }
        return nil
    }

    /// An absolute path with symlinks resolved as far as the path exists (the rest normalised lexically).
    static func resolve(_ path: String, workingDirectory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        if let real = realPath(absolute) { return real }
        // Not there (yet): resolve the longest existing prefix; opening the rest will fail anyway.
        var url = URL(fileURLWithPath: absolute).standardizedFileURL
        var rest: [String] = []
        while url.path != "/" {
            if let real = realPath(url.path) {
                return rest.isEmpty ? real : (real as NSString).appendingPathComponent(rest.reversed().joined(separator: "/"))
            }
            rest.append(url.lastPathComponent)
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A job names a data path outside the worker's data roots.
public struct DataRootRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let task: String
    public let option: String
    public let path: String
    /// The worker's roots (for its own log; not sent to the coordinator).
    public let roots: [String]

    /// For the worker's log: names the path, the rule and the roots.
    public var description: String {
        "\(wireDescription); this worker's data roots: \(roots.joined(separator: ", "))"
    }

    /// For the FAILED sent to the coordinator: the path it sent and the rule, nothing about the worker's files.
    public var wireDescription: String {
        "task \(task) option \(option) names \(path), which is outside this worker's data roots; a worker reads task data only under its --data-root directories (default: $\(DataRoots.environmentVariable), else its working directory): start it with --data-root covering the data"
    }
}
