import Coordinator
import Foundation
import Transport

/// The files of a key directory made by `guidance keys generate`, and the CURVE settings read from them.
enum KeyDirectory {
    static let coordinatorName = "coordinator"
    static let workerName = "worker"
    static let allowListName = "allowed_workers"

    /// Coordinator side: `DIR/coordinator.key_secret` and `DIR/allowed_workers`.
    static func serverSettings(_ directory: String) throws -> CurveServerSettings {
        try requireCurve()
        let dir = URL(fileURLWithPath: directory)
        let keyPair = try read { try CurveKeyFile.readKeyPair(fromSecretFile: dir.appendingPathComponent("\(coordinatorName).key_secret")) }
        let allowList = dir.appendingPathComponent(allowListName)
        let allowed = try read { try CurveKeyFile.readPublicKeys(from: allowList) }
        if allowed.isEmpty {
            throw CLIError("\(allowList.path) lists no worker keys: no worker could connect (add the workers' .key lines, or run `guidance keys generate`)")
        }
        return CurveServerSettings(keyPair: keyPair, allowedWorkers: Set(allowed))
    }

    /// Client side (worker, status): the coordinator's public key (`--coordinator-key`, else `DIR/coordinator.key`)
    /// and this client's secret key (`--key`, else `DIR/worker.key_secret`, else the first `DIR/worker-N.key_secret`).
    /// Returns nil when neither a directory nor files are given (plain TCP).
    /// With `asOperator` (`guidance status`), `DIR/coordinator.key_secret` comes first when present: the operator's
    /// key, which sees every worker's leases (docs/SECURITY.md).
    static func clientSettings(directory: String?, key: String?, coordinatorKey: String?, asOperator: Bool = false) throws -> CurveClientSettings? {
        guard directory != nil || key != nil || coordinatorKey != nil else { return nil }
        try requireCurve()
        let dir = directory.map { URL(fileURLWithPath: $0) }
        guard let serverURL = coordinatorKey.map({ URL(fileURLWithPath: $0) }) ?? dir?.appendingPathComponent("\(coordinatorName).key") else {
            throw CLIError("--key needs the coordinator's public key too: --keys DIR (with coordinator.key) or --coordinator-key FILE")
        }
        let operatorSecret = dir.map { $0.appendingPathComponent("\(coordinatorName).key_secret") }
            .flatMap { asOperator && FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
        guard let secretURL = key.map({ URL(fileURLWithPath: $0) }) ?? operatorSecret ?? dir.flatMap(defaultClientSecret) else {
            throw CLIError("no worker secret key in \(directory ?? "?"): expected worker.key_secret or worker-N.key_secret there, or pass --key FILE")
        }
        let server = try read { try CurveKeyFile.readPublicKey(from: serverURL) }
        let pair = try read { try CurveKeyFile.readKeyPair(fromSecretFile: secretURL) }
        return CurveClientSettings(serverKey: server, keyPair: pair)
    }

    private static func defaultClientSecret(_ dir: URL) -> URL? {
        let single = dir.appendingPathComponent("\(workerName).key_secret")
        if FileManager.default.fileExists(atPath: single.path) { return single }
        let numbered = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        let first = numbered.filter { $0.hasPrefix("\(workerName)-") && $0.hasSuffix(".key_secret") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.first
        return first.map { dir.appendingPathComponent($0) }
    }

    private static func requireCurve() throws {
        guard hasCurve() else { throw CLIError("this libzmq was built without CURVE support; --keys cannot work here") }
    }

    /// Turns a key file error into a command-line error naming the file.
    private static func read<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CurveKeyFileError {
            throw CLIError("\(error)")
        }
    }
}
